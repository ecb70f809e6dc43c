package dev.strand.web.client;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.internal.wire.GrpcTimeout;
import dev.strand.internal.wire.HeaderNames;
import dev.strand.internal.wire.HttpStatusMapping;
import dev.strand.wire.Codec;
import dev.strand.wire.CodecRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The Connect protocol with protobuf messages (CONNECT-PROTOCOL.md), as a client. A unary call is a
 * plain HTTP exchange: the body is the message, compressed as a whole, errors are a JSON body with
 * an HTTP status, trailers are {@code trailer-} headers. A server-streaming call sends and receives
 * envelopes, and its outcome is the end-of-stream message (flag 0x02).
 */
final class ConnectWire implements WebWire {
  static final String UNARY_TYPE = "application/proto";
  static final String STREAM_TYPE = "application/connect+proto";

  private static final int END_STREAM = 0x02;
  private static final String TRAILER_PREFIX = "trailer-";

  /** Connect-Timeout-Ms holds at most 10 digits. */
  private static final long MAX_TIMEOUT_MILLIS = 9_999_999_999L;

  @Override
  public void writeRequest(
      HttpRequest.Builder request,
      MethodDescriptor<?, ?> method,
      byte[] message,
      long timeoutNanos,
      Codec codec) {
    boolean unary = isUnary(method);
    request.header(HeaderNames.CONTENT_TYPE, unary ? UNARY_TYPE : STREAM_TYPE);
    request.header("connect-protocol-version", "1");
    if (timeoutNanos >= 0) {
      long millis = Math.max(1, GrpcTimeout.toMillis(timeoutNanos));
      request.header("connect-timeout-ms", Long.toString(Math.min(millis, MAX_TIMEOUT_MILLIS)));
    }
    String accept = CodecRegistry.getDefault().acceptEncoding();
    request.header(unary ? "accept-encoding" : "connect-accept-encoding", accept);
    byte[] payload = message;
    if (codec != null) {
      request.header(unary ? "content-encoding" : "connect-content-encoding", codec.name());
      payload = WebHeaders.compress(codec, message);
    }
    byte[] body =
        unary ? payload : Envelopes.frame(codec != null ? EnvelopedBody.COMPRESSED : 0, payload);
    request.POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  @Override
  public ResponseReader reader(
      MethodDescriptor<?, ?> method,
      int httpStatus,
      HttpHeaders headers,
      Limits limits,
      ResponseSink sink) {
    return isUnary(method)
        ? unary(httpStatus, headers, limits, sink)
        : stream(httpStatus, headers, limits, sink);
  }

  private static boolean isUnary(MethodDescriptor<?, ?> method) {
    return method.type().serverSendsOneMessage();
  }

  private static ResponseReader unary(
      int httpStatus, HttpHeaders headers, Limits limits, ResponseSink sink) {
    Codec codec = codec(headers, "content-encoding", sink);
    if (codec == FAILED) {
      return WholeBody.DROP;
    }
    if (httpStatus != 200) {
      // An error: its metadata and trailers all travel as headers.
      Metadata trailers = WebHeaders.read(headers, null, false);
      trailers.merge(WebHeaders.read(headers, TRAILER_PREFIX, true));
      boolean json = contentType(headers).startsWith("application/json");
      return new WholeBody(
          limits.maxMessageSize(),
          codec,
          sink,
          body ->
              sink.close(
                  json
                      ? ConnectErrors.unaryError(body, httpStatus, trailers)
                      : HttpStatusMapping.forHttpStatus(httpStatus),
                  trailers));
    }
    if (!contentType(headers).startsWith(UNARY_TYPE)) {
      sink.fail(notConnect(headers));
      return WholeBody.DROP;
    }
    sink.headers(WebHeaders.read(headers, TRAILER_PREFIX, false));
    Metadata trailers = WebHeaders.read(headers, TRAILER_PREFIX, true);
    return new WholeBody(
        limits.maxMessageSize(),
        codec,
        sink,
        body -> {
          sink.message(body, body.length);
          sink.close(Status.OK, trailers);
        });
  }

  private static ResponseReader stream(
      int httpStatus, HttpHeaders headers, Limits limits, ResponseSink sink) {
    if (httpStatus != 200) {
      sink.fail(HttpStatusMapping.forHttpStatus(httpStatus));
      return WholeBody.DROP;
    }
    if (!contentType(headers).startsWith(STREAM_TYPE)) {
      sink.fail(notConnect(headers));
      return WholeBody.DROP;
    }
    Codec codec = codec(headers, "connect-content-encoding", sink);
    if (codec == FAILED) {
      return WholeBody.DROP;
    }
    sink.headers(WebHeaders.read(headers, null, false));
    return new StreamBody(
        sink,
        limits.maxMessageSize(),
        codec,
        headers.firstValue("connect-content-encoding").orElse(null));
  }

  private static String contentType(HttpHeaders headers) {
    return headers.firstValue(HeaderNames.CONTENT_TYPE).orElse("").toLowerCase(Locale.ROOT);
  }

  private static Status notConnect(HttpHeaders headers) {
    return Status.INTERNAL.withDescription(
        "not a Connect response: content-type '"
            + headers.firstValue(HeaderNames.CONTENT_TYPE).orElse("")
            + "'");
  }

  /** Marks a response whose encoding this client cannot read (the sink was told). */
  private static final Codec FAILED =
      new Codec() {
        @Override
        public String name() {
          return "unreadable";
        }

        @Override
        public java.io.OutputStream compress(java.io.OutputStream out) {
          throw new UnsupportedOperationException();
        }

        @Override
        public java.io.InputStream decompress(java.io.InputStream in) {
          throw new UnsupportedOperationException();
        }
      };

  /** The codec {@code header} names, null for none, or FAILED after failing the call. */
  private static Codec codec(HttpHeaders headers, String header, ResponseSink sink) {
    String encoding = headers.firstValue(header).orElse(null);
    if (encoding == null || CodecRegistry.IDENTITY.equals(encoding)) {
      return null;
    }
    Codec codec = CodecRegistry.getDefault().lookup(encoding);
    if (codec == null) {
      sink.fail(Status.INTERNAL.withDescription("response in unknown " + header + " " + encoding));
      return FAILED;
    }
    return codec;
  }

  /** A unary body, read whole (up to the limit), then decompressed and handed on. */
  private static final class WholeBody implements ResponseReader {
    static final ResponseReader DROP =
        new ResponseReader() {
          @Override
          public void onBody(ByteBuffer piece) {
            piece.position(piece.limit());
          }

          @Override
          public void onEnd() {}
        };

    private final int limit;
    private final Codec codec;
    private final ResponseSink sink;
    private final java.util.function.Consumer<byte[]> whole;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private boolean failed;

    WholeBody(
        int limit, Codec codec, ResponseSink sink, java.util.function.Consumer<byte[]> whole) {
      this.limit = limit;
      this.codec = codec;
      this.sink = sink;
      this.whole = whole;
    }

    @Override
    public void onBody(ByteBuffer piece) {
      int length = piece.remaining();
      if (failed || body.size() + length > limit) {
        piece.position(piece.limit());
        if (!failed) {
          failed = true;
          sink.fail(
              Status.RESOURCE_EXHAUSTED.withDescription(
                  "a response body over the limit of " + limit + " bytes"));
        }
        return;
      }
      byte[] bytes = new byte[length];
      piece.get(bytes);
      body.write(bytes, 0, length);
    }

    @Override
    public void onEnd() {
      if (failed) {
        return;
      }
      byte[] bytes = body.toByteArray();
      if (codec != null) {
        try {
          bytes = WebHeaders.decompress(codec, bytes, limit);
        } catch (WebHeaders.TooLargeException e) {
          sink.fail(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()));
          return;
        } catch (IOException e) {
          sink.fail(Status.INTERNAL.withDescription("could not decompress the body").withCause(e));
          return;
        }
      }
      whole.accept(bytes);
    }
  }

  /** Streaming envelopes, ended by the end-of-stream message. */
  private static final class StreamBody extends EnvelopedBody {

    StreamBody(ResponseSink sink, int limit, Codec codec, String encoding) {
      super(sink, limit, codec, encoding);
    }

    @Override
    void envelope(int flags, byte[] payload, int wireSize) {
      if (isEnded()) {
        fail(Status.INTERNAL.withDescription("Connect stream has data after its end"));
      } else if ((flags & END_STREAM) != 0) {
        Metadata trailers = new Metadata();
        ended(ConnectErrors.endOfStream(payload, trailers), trailers);
      } else {
        sink.message(payload, wireSize);
      }
    }

    @Override
    String missingEnd() {
      return "Connect stream ended without its end-of-stream message";
    }
  }
}
