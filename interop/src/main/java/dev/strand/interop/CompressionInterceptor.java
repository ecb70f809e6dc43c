package dev.strand.interop;

import dev.strand.Metadata;
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
 * The server's side of the interop compression features, done where the ServerCall is at hand:
 * it notes whether each request that sets {@code expect_compressed} arrived compressed (see
 * {@link CompressionProbe}), and turns on gzip for responses the first request asks to have
 * compressed. Blocking handlers only see the message, so they ask {@link #arrivedCompressed}.
 */
final class CompressionInterceptor implements ServerInterceptor {
  /**
   * Requests that set expect_compressed, by identity, to whether they came compressed. The
   * handler takes each entry out; only messages a failed call never read stay behind.
   */
  private static final Map<Object, Boolean> EXPECTING =
      Collections.synchronizedMap(new IdentityHashMap<>());

  /** Whether this request (one that set expect_compressed) arrived with the compressed flag. */
  static boolean arrivedCompressed(Object request) {
    Boolean compressed = EXPECTING.remove(request);
    return compressed != null && compressed;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
      Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    ServerCall.Listener<ReqT> delegate = next.startCall(call, headers);
    return new ServerCall.Listener<>() {
      private boolean first = true;

      @Override
      public void onMessage(ReqT message) {
        boolean compressed = CompressionProbe.takeLastWasCompressed();
        if (expectsCompressed(message)) {
          EXPECTING.put(message, compressed);
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

  private static boolean expectsCompressed(Object message) {
    if (message instanceof SimpleRequest r) {
      return r.getExpectCompressed().getValue();
    }
    return message instanceof StreamingInputCallRequest r && r.getExpectCompressed().getValue();
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
