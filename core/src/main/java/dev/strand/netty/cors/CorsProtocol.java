package dev.strand.netty.cors;

import dev.strand.netty.stream.ServerProtocol;
import dev.strand.netty.stream.ServerProtocols;
import dev.strand.netty.stream.ServerStream;
import dev.strand.server.Cors;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * CORS for every protocol a server speaks, in one place: in front of the protocols, it claims the
 * requests that carry an {@code Origin}. A preflight ({@code OPTIONS} with {@code
 * Access-Control-Request-Method}) it answers itself: 204 with the CORS headers, or 403 without them
 * when the origin, method or a header is not allowed. Any other request goes on to the protocol its
 * headers select, over a {@link CorsStream} when its origin is allowed. Requests without {@code
 * Origin} (every plain gRPC call) cost one header lookup.
 */
public final class CorsProtocol implements ServerProtocol {
  private static final Logger log = Logger.getLogger(CorsProtocol.class.getName());
  private static final AsciiString OPTIONS = AsciiString.cached("OPTIONS");
  private static final AsciiString NO_CONTENT = AsciiString.cached("204");

  private final CorsHeaders headers;
  private final ServerProtocols next;

  private CorsProtocol(Cors cors, ServerProtocols next) {
    this.headers = new CorsHeaders(cors);
    this.next = next;
  }

  /** {@code protocols} with CORS in front; the same protocols when {@code cors} is null. */
  public static ServerProtocols inFrontOf(ServerProtocols protocols, Cors cors) {
    if (cors == null) {
      return protocols;
    }
    ServerProtocol selected =
        new ServerProtocol() {
          @Override
          public boolean accepts(Http2Headers requestHeaders) {
            return true;
          }

          @Override
          public void open(ServerStream stream, Http2Headers requestHeaders, boolean end) {
            protocols.select(requestHeaders).open(stream, requestHeaders, end);
          }
        };
    return new ServerProtocols(List.of(new CorsProtocol(cors, protocols)), selected);
  }

  @Override
  public boolean accepts(Http2Headers requestHeaders) {
    return requestHeaders.contains(CorsHeaders.ORIGIN);
  }

  @Override
  public void open(ServerStream stream, Http2Headers request, boolean endOfStream) {
    CharSequence origin = request.get(CorsHeaders.ORIGIN);
    boolean allowed = headers.cors.allowsOrigin(origin.toString());
    CharSequence method = request.method();
    if (method != null
        && OPTIONS.contentEquals(method)
        && request.contains(CorsHeaders.REQUEST_METHOD)) {
      answerPreflight(stream, request, origin, allowed);
      return;
    }
    ServerStream served = allowed ? new CorsStream(stream, headers, origin) : stream;
    next.select(request).open(served, request, endOfStream);
  }

  private void answerPreflight(
      ServerStream stream, Http2Headers request, CharSequence origin, boolean allowed) {
    String refusal = allowed ? refusal(request) : "origin " + origin + " is not allowed";
    if (refusal != null) {
      // Why a browser refuses a page's calls is otherwise only in that browser's console.
      log.log(
          Level.FINE,
          "CORS preflight for {0} refused: {1}",
          new Object[] {request.path(), refusal});
      refuse(stream, "CORS preflight refused: " + refusal);
      return;
    }
    log.log(
        Level.FINE,
        "CORS preflight for {0} from {1} allowed",
        new Object[] {request.path(), origin});
    Http2Headers answer = new DefaultHttp2Headers().status(NO_CONTENT);
    headers.addPreflight(answer, origin);
    stream.writeHeaders(answer, true);
    end(stream);
  }

  /** Why an allowed origin's preflight is refused, or null if it is not. */
  private String refusal(Http2Headers request) {
    String method = request.get(CorsHeaders.REQUEST_METHOD).toString().trim();
    if (!CorsHeaders.METHODS.contains(method)) {
      return "method " + method + " is not allowed (only " + CorsHeaders.METHODS + ")";
    }
    CharSequence asked = request.get(CorsHeaders.REQUEST_HEADERS);
    if (asked == null) {
      return null;
    }
    for (String name : asked.toString().split(",", -1)) {
      String header = name.trim().toLowerCase(Locale.ROOT);
      if (!header.isEmpty() && !headers.allowedRequestHeaders.contains(header)) {
        return "request header "
            + header
            + " is not allowed (the server names its own with Cors.allowHeaders)";
      }
    }
    return null;
  }

  /** 403 without CORS headers, so the browser refuses the call; the reason in the body. */
  private static void refuse(ServerStream stream, String message) {
    Http2Headers answer = new DefaultHttp2Headers().status("403");
    answer.add("content-type", "text/plain; charset=utf-8");
    stream.writeHeaders(answer, false);
    ByteBuf body = stream.connection().alloc().buffer();
    body.writeCharSequence(message + "\n", StandardCharsets.UTF_8);
    // A reset, if one is needed, only once the body is out: it would drop what is still queued.
    stream.writeLastData(body).addListener(written -> end(stream));
    stream.connection().flush();
  }

  /** A preflight has no body; a client still sending one is told to stop. */
  private static void end(ServerStream stream) {
    if (!stream.remoteClosed()) {
      stream.reset(Http2Error.NO_ERROR);
    }
    stream.connection().flush();
  }
}
