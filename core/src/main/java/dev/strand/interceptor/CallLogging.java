package dev.strand.interceptor;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ClientCall;
import dev.strand.client.ClientInterceptor;
import dev.strand.client.ForwardingClientCall;
import dev.strand.client.ForwardingClientCallListener;
import dev.strand.server.ForwardingServerCall;
import dev.strand.server.ServerCall;
import dev.strand.server.ServerCallHandler;
import dev.strand.server.ServerInterceptor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per call through SLF4J when it ends: method, status and duration (and the peer on
 * the server). OK calls log at DEBUG, failed ones at INFO, so a quiet service stays quiet.
 */
public final class CallLogging {
  private static final Logger SERVER_LOG = LoggerFactory.getLogger("dev.strand.server.calls");
  private static final Logger CLIENT_LOG = LoggerFactory.getLogger("dev.strand.client.calls");

  private CallLogging() {}

  public static ServerInterceptor server() {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        long start = System.nanoTime();
        return next.startCall(
            new ForwardingServerCall<>(call) {
              @Override
              public void close(Status status, Metadata trailers) {
                log(
                    SERVER_LOG,
                    call.method(),
                    status,
                    start,
                    " from " + call.info().remoteAddress());
                super.close(status, trailers);
              }
            },
            headers);
      }
    };
  }

  public static ClientInterceptor client() {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        long start = System.nanoTime();
        return new ForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            super.start(
                new ForwardingClientCallListener<>(listener) {
                  @Override
                  public void onClose(Status status, Metadata trailers) {
                    log(CLIENT_LOG, method, status, start, " to " + next.authority());
                    super.onClose(status, trailers);
                  }
                },
                headers);
          }
        };
      }
    };
  }

  private static void log(
      Logger log, MethodDescriptor<?, ?> method, Status status, long start, String peer) {
    long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
    if (status.isOk()) {
      log.debug("{} {} in {} us{}", method.fullName(), status.code(), micros, peer);
    } else {
      log.info(
          "{} {} in {} us{}: {}",
          method.fullName(),
          status.code(),
          micros,
          peer,
          status.description());
    }
  }
}
