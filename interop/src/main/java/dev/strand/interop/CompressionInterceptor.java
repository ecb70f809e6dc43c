package dev.strand.interop;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.server.ServerCall;
import dev.strand.server.ServerCallHandler;
import dev.strand.server.ServerInterceptor;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The server's side of the interop compression features, done where the ServerCall is at hand: it
 * notes whether each request that carries {@code expect_compressed} (true or false) arrived with
 * the compressed flag set (see {@link CompressionProbe}), and turns on gzip for responses the first
 * request asks to have compressed. Blocking handlers only see the message, so they ask {@link
 * #checkExpectedCompression}.
 */
final class CompressionInterceptor implements ServerInterceptor {
  /**
   * Requests that carry expect_compressed, by identity, to whether they came compressed. The
   * handler takes each entry out; only messages a failed call never read stay behind.
   */
  private static final Map<Object, Boolean> ARRIVED_COMPRESSED =
      Collections.synchronizedMap(new IdentityHashMap<>());

  /**
   * Fails with INVALID_ARGUMENT if the request's compressed flag is not what its expect_compressed
   * says. Both ways, as C-core's interop server checks: a client that ignores a per-message
   * "compression off" fails here, which a server checking only "true" never sees.
   */
  static void checkExpectedCompression(Object request, boolean present, boolean expected) {
    Boolean arrived = ARRIVED_COMPRESSED.remove(request);
    if (!present) {
      return;
    }
    boolean compressed = arrived != null && arrived;
    if (expected && !compressed) {
      throw invalidArgument("expect_compressed is set but the message was not compressed");
    }
    if (!expected && compressed) {
      throw invalidArgument("expect_compressed is false but the message was compressed");
    }
  }

  private static StatusException invalidArgument(String description) {
    return Status.INVALID_ARGUMENT.withDescription(description).asException();
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    ServerCall.Listener<ReqT> delegate = next.startCall(call, headers);
    return new ServerCall.Listener<>() {
      private boolean first = true;

      @Override
      public void onMessage(ReqT message) {
        boolean compressed = CompressionProbe.takeLastWasCompressed();
        if (carriesExpectCompressed(message)) {
          ARRIVED_COMPRESSED.put(message, compressed);
        }
        if (first) {
          first = false;
          if (wantsCompressedResponse(message)) {
            try {
              call.setCompression("gzip");
            } catch (IllegalStateException tooLate) {
              // The handler already started its response; it goes out uncompressed.
            }
          }
        }
        delegate.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        delegate.onHalfClose();
      }

      @Override
      public void onCancel() {
        delegate.onCancel();
      }

      @Override
      public void onComplete() {
        delegate.onComplete();
      }

      @Override
      public void onReady() {
        delegate.onReady();
      }
    };
  }

  private static boolean carriesExpectCompressed(Object message) {
    if (message instanceof SimpleRequest r) {
      return r.hasExpectCompressed();
    }
    return message instanceof StreamingInputCallRequest r && r.hasExpectCompressed();
  }

  /**
   * The call's encoding is set if any message asks for compression; the handler then turns
   * compression off for the messages that ask for none (ServerContext.setMessageCompression).
   */
  private static boolean wantsCompressedResponse(Object message) {
    if (message instanceof SimpleRequest r) {
      return r.getResponseCompressed().getValue();
    }
    if (message instanceof StreamingOutputCallRequest r) {
      for (ResponseParameters p : r.getResponseParametersList()) {
        if (p.getCompressed().getValue()) {
          return true;
        }
      }
    }
    return false;
  }
}
