package dev.strand.opentelemetry.tracing;

import dev.strand.Metadata;
import dev.strand.server.ForwardingServerCall;
import dev.strand.server.ForwardingServerCallListener;
import dev.strand.server.ServerCall;
import dev.strand.server.ServerCallHandler;
import dev.strand.server.ServerInterceptor;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.Executor;

/**
 * Makes a traced call's context (its server span) current wherever its handler runs: in the
 * listener's events, where async handlers run on the event loop, and on the blocking executor,
 * where blocking handlers run (a virtual thread or a pool). A call made from there is the span's
 * child. An untraced call passes through untouched.
 */
public final class ServerContextInterceptor implements ServerInterceptor {
  public static final ServerContextInterceptor INSTANCE = new ServerContextInterceptor();

  private ServerContextInterceptor() {}

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Context context = TracedCall.contextOf(call.info().tracerCall());
    if (context == null) {
      return next.startCall(call, headers);
    }
    ServerCall<ReqT, RespT> inContext =
        new ForwardingServerCall<>(call) {
          private Executor executor;

          @Override
          public Executor blockingExecutor() {
            if (executor == null) {
              executor = context.wrap(super.blockingExecutor());
            }
            return executor;
          }
        };
    ServerCall.Listener<ReqT> listener;
    try (Scope ignored = context.makeCurrent()) {
      listener = next.startCall(inContext, headers);
    }
    return new ForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(ReqT message) {
        try (Scope ignored = context.makeCurrent()) {
          super.onMessage(message);
        }
      }

      @Override
      public void onHalfClose() {
        try (Scope ignored = context.makeCurrent()) {
          super.onHalfClose();
        }
      }

      @Override
      public void onCancel() {
        try (Scope ignored = context.makeCurrent()) {
          super.onCancel();
        }
      }

      @Override
      public void onComplete() {
        try (Scope ignored = context.makeCurrent()) {
          super.onComplete();
        }
      }

      @Override
      public void onReady() {
        try (Scope ignored = context.makeCurrent()) {
          super.onReady();
        }
      }
    };
  }
}
