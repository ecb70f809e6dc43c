package dev.strand.web.client;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.internal.wire.GrpcTimeout;
import dev.strand.internal.wire.HeaderNames;
import dev.strand.internal.wire.HttpStatusMapping;
import dev.strand.internal.wire.PercentEncoding;
import dev.strand.wire.Codec;
import dev.strand.wire.CodecRegistry;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * gRPC-Web, binary (PROTOCOL-WEB.md), as a client: gRPC's framing and headers, with the trailers as
 * the body's last frame (flag 0x80) because HTTP/1.1 clients cannot read HTTP trailers.
 */
final class GrpcWebWire implements WebWire {
  static final String CONTENT_TYPE = "application/grpc-web+proto";

  private static final int TRAILERS = 0x80;

  @Override
  public void writeRequest(
      HttpRequest.Builder request,
      MethodDescriptor<?, ?> method,
      byte[] message,
      long timeoutNanos,
      Codec codec) {
    request.header(HeaderNames.CONTENT_TYPE, CONTENT_TYPE);
    request.header("accept", CONTENT_TYPE);
    request.header("x-grpc-web", "1");
    request.header(HeaderNames.GRPC_ACCEPT_ENCODING, CodecRegistry.getDefault().acceptEncoding());
    if (timeoutNanos >= 0) {
      request.header(HeaderNames.GRPC_TIMEOUT, GrpcTimeout.encode(timeoutNanos));
    }
    byte[] body;
    if (codec != null) {
      request.header(HeaderNames.GRPC_ENCODING, codec.name());
      body = Envelopes.frame(EnvelopedBody.COMPRESSED, WebHeaders.compress(codec, message));
    } else {
      body = Envelopes.frame(0, message);
    }
    request.POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  @Override
  public ResponseReader reader(
      MethodDescriptor<?, ?> method,
      int httpStatus,
      HttpHeaders headers,
      Limits limits,
      ResponseSink sink) {
    String grpcStatus = headers.firstValue(HeaderNames.GRPC_STATUS).orElse(null);
    if (grpcStatus != null) {
      // Trailers-Only: the outcome is in the headers, the body is empty.
      Metadata trailers = WebHeaders.read(headers, null, false);
      Status status = status(grpcStatus, headers.firstValue(HeaderNames.GRPC_MESSAGE).orElse(null));
      return new Ignoring(() -> sink.close(status, trailers));
    }
    if (httpStatus != 200) {
      return new Ignoring(
          () -> sink.close(HttpStatusMapping.forHttpStatus(httpStatus), new Metadata()));
    }
    String contentType = headers.firstValue(HeaderNames.CONTENT_TYPE).orElse("");
    if (!contentType.toLowerCase(Locale.ROOT).startsWith("application/grpc-web")) {
      sink.fail(
          Status.INTERNAL.withDescription(
              "not a gRPC-Web response: content-type '" + contentType + "'"));
      return new Ignoring(() -> {});
    }
    Codec codec = null;
    String encoding = headers.firstValue(HeaderNames.GRPC_ENCODING).orElse(null);
    if (encoding != null && !CodecRegistry.IDENTITY.equals(encoding)) {
      codec = CodecRegistry.getDefault().lookup(encoding);
    }
    sink.headers(WebHeaders.read(headers, null, false));
    return new Body(sink, limits.maxMessageSize(), codec, encoding);
  }

  /** A grpc-status value and its message as a Status; a status that is not a number is UNKNOWN. */
  static Status status(String code, String message) {
    Status status;
    try {
      status = Status.fromCodeValue(Integer.parseInt(code.trim()));
    } catch (NumberFormatException e) {
      return Status.UNKNOWN.withDescription("grpc-status '" + code + "' is not a status code");
    }
    return message == null ? status : status.withDescription(PercentEncoding.decode(message));
  }

  /** The body of a response whose outcome is already known: read to the end and dropped. */
  private record Ignoring(Runnable atEnd) implements ResponseReader {
    @Override
    public void onBody(ByteBuffer piece) {
      piece.position(piece.limit());
    }

    @Override
    public void onEnd() {
      atEnd.run();
    }
  }

  /** Messages, then the trailer frame. */
  private static final class Body extends EnvelopedBody {

    Body(ResponseSink sink, int limit, Codec codec, String encoding) {
      super(sink, limit, codec, encoding);
    }

    @Override
    void envelope(int flags, byte[] payload, int wireSize) {
      if (isEnded()) {
        fail(Status.INTERNAL.withDescription("gRPC-Web response has data after its trailers"));
      } else if ((flags & TRAILERS) != 0) {
        readTrailers(payload);
      } else {
        sink.message(payload, wireSize);
      }
    }

    /** HTTP/1-style {@code name: value} lines, CRLF-separated. */
    private void readTrailers(byte[] frame) {
      Metadata trailers = new Metadata();
      String code = null;
      String message = null;
      for (String line : new String(frame, StandardCharsets.ISO_8859_1).split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        if (name.equals(HeaderNames.GRPC_STATUS)) {
          code = value;
        } else if (name.equals(HeaderNames.GRPC_MESSAGE)) {
          message = value;
        } else if (!HeaderNames.isReserved(name)) {
          WebHeaders.add(trailers, name, value);
        }
      }
      ended(
          code == null
              ? Status.UNKNOWN.withDescription("gRPC-Web trailers without grpc-status")
              : status(code, message),
          trailers);
    }

    @Override
    String missingEnd() {
      return "gRPC-Web response ended without trailers";
    }
  }
}
