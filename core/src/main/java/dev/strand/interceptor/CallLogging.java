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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Logs one line per call through SLF4J when it ends: method, status and duration (and the peer on
 * the server). OK calls log at DEBUG, failed ones at INFO, so a quiet service stays quiet.
 */
public final class CallLogging {
  private static final Logger SERVER_LOG = LoggerFactory.getLogger("dev.strand.server.calls");
  private static final Logger CLIENT_LOG = LoggerFactory.getLogger("dev.strand.client.calls");

  private static final MdcFields NO_FIELDS =
      new MdcFields() {
        @Override
        public Map<String, String> server(ServerCall<?, ?> call) {
          return Map.of();
        }

        @Override
        public Map<String, String> client() {
          return Map.of();
        }
      };

  private CallLogging() {}

  /**
   * What goes into the SLF4J MDC while a call's line is logged, such as its trace and span ids
   * (strand-opentelemetry offers them), so a log line and a trace can be joined.
   */
  public interface MdcFields {
    /** For a call the server serves, read as it starts (its info has the tracer's view of it). */
    Map<String, String> server(ServerCall<?, ?> call);

    /** For a call a channel makes, read on the thread that makes it. */
    Map<String, String> client();
  }

  public static ServerInterceptor server() {
    return server(NO_FIELDS);
  }

  /** Logs each call served, with {@code fields} in the MDC while its line is logged. */
  public static ServerInterceptor server(MdcFields fields) {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        long start = System.nanoTime();
        Map<String, String> mdc = fields.server(call);
        return next.startCall(
            new ForwardingServerCall<>(call) {
              @Override
              public void close(Status status, Metadata trailers) {
                log(
                    SERVER_LOG,
                    call.method(),
                    status,
                    start,
                    " from " + call.info().remoteAddress(),
                    mdc);
                super.close(status, trailers);
              }
            },
            headers);
      }
    };
  }

  public static ClientInterceptor client() {
    return client(NO_FIELDS);
  }

  /** Logs each call made, with {@code fields} in the MDC while its line is logged. */
  public static ClientInterceptor client(MdcFields fields) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        long start = System.nanoTime();
        Map<String, String> mdc = fields.client();
        return new ForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            super.start(
                new ForwardingClientCallListener<>(listener) {
                  @Override
                  public void onClose(Status status, Metadata trailers) {
                    log(CLIENT_LOG, method, status, start, " to " + next.authority(), mdc);
                    super.onClose(status, trailers);
                  }
                },
                headers);
          }
        };
      }
    };
  }

  /** The line, with the call's fields in the MDC around it (and what was there put back). */
  private static void log(
      Logger log,
      MethodDescriptor<?, ?> method,
      Status status,
      long start,
      String peer,
      Map<String, String> mdc) {
    if (mdc.isEmpty()) {
      log(log, method, status, start, peer);
      return;
    }
    Map<String, String> previous = MDC.getCopyOfContextMap();
    mdc.forEach(MDC::put);
    try {
      log(log, method, status, start, peer);
    } finally {
      if (previous == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(previous);
      }
    }
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
