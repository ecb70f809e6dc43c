package dev.strand.interop;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ClientCall;
import dev.strand.client.ClientInterceptor;
import dev.strand.client.ForwardingClientCall;
import dev.strand.client.ForwardingClientCallListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The client's view of each call that the generated stubs do not give: it attaches extra request
 * headers, and records the response headers, trailers, status and each response's compressed flag
 * (through {@link CompressionProbe}). Installed on every channel, so every response message takes
 * the probe's mark.
 */
final class CallRecorder implements ClientInterceptor {
  private volatile Metadata extraHeaders;
  private volatile Record last;

  /** What one call received. */
  static final class Record {
    volatile Metadata headers;
    volatile Metadata trailers;
    volatile Status status;
    final List<Boolean> compressed = Collections.synchronizedList(new ArrayList<>());

    List<Boolean> compressedFlags() {
      synchronized (compressed) {
        return List.copyOf(compressed);
      }
    }
  }

  /** Sends these headers on every call from now on; null for none. */
  void attachHeaders(Metadata headers) {
    this.extraHeaders = headers;
  }

  /** The call started last. */
  Record last() {
    return last;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
    Record record = new Record();
    last = record;
    Metadata extra = extraHeaders;
    return new ForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<RespT> listener, Metadata headers) {
        if (extra != null) {
          headers.merge(extra);
        }
        super.start(
            new ForwardingClientCallListener<>(listener) {
              @Override
              public void onHeaders(Metadata h) {
                record.headers = h;
                super.onHeaders(h);
              }

              @Override
              public void onMessage(RespT message) {
                record.compressed.add(CompressionProbe.takeLastWasCompressed());
                super.onMessage(message);
              }

              @Override
              public void onClose(Status status, Metadata trailers) {
                record.status = status;
                record.trailers = trailers;
                super.onClose(status, trailers);
              }
            },
            headers);
      }
    };
  }
}
