package dev.strand.internal.call;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.client.CallOptions;
import dev.strand.spi.ClientCallTracer;
import dev.strand.spi.ServerCallTracer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts a call's tracer, or hands out one that does nothing, so the engine calls its events
 * without checking for null. A tracer that throws when asked does not take the call with it.
 */
public final class Tracing {
  private static final Logger log = Logger.getLogger(Tracing.class.getName());
  public static final ServerCallTracer.Call SERVER_NONE = new ServerCallTracer.Call() {};
  public static final ClientCallTracer.Attempt ATTEMPT_NONE = new ClientCallTracer.Attempt() {};
  public static final ClientCallTracer.Call CLIENT_NONE = (previous, transparent) -> ATTEMPT_NONE;

  /**
   * Set by a call made of attempts ({@code RetryingCall}) on each attempt's options: the call's
   * tracer, which the attempt reports to instead of starting a call of its own.
   */
  public static final CallOptions.Key<AttemptOf> ATTEMPT_OF =
      CallOptions.Key.of("strand.attemptOf");

  /** An attempt of a traced call, with the count of attempts before it. */
  public record AttemptOf(ClientCallTracer.Call call, int previousAttempts) {}

  private Tracing() {}

  public static ServerCallTracer.Call start(
      ServerCallTracer tracer, MethodDescriptor<?, ?> method, Metadata headers) {
    if (tracer == null) {
      return SERVER_NONE;
    }
    try {
      ServerCallTracer.Call call = tracer.callStarted(method, headers);
      return call == null ? SERVER_NONE : new SafeServerCall(call);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "the server's call tracer threw; this call is not traced", e);
      return SERVER_NONE;
    }
  }

  public static ClientCallTracer.Call start(
      ClientCallTracer tracer, MethodDescriptor<?, ?> method, String authority) {
    if (tracer == null) {
      return CLIENT_NONE;
    }
    try {
      ClientCallTracer.Call call = tracer.callStarted(method, authority);
      return call == null ? CLIENT_NONE : new SafeClientCall(call);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "the channel's call tracer threw; this call is not traced", e);
      return CLIENT_NONE;
    }
  }

  /** Tells the tracer, if there is one, of a request answered before its call began. */
  public static void rejected(
      ServerCallTracer tracer, MethodDescriptor<?, ?> method, Status status, long startNanos) {
    if (tracer == null) {
      return;
    }
    try {
      tracer.callRejected(method, status, System.nanoTime() - startNanos);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  /** True if the call is watched: only then are the events' arguments worth making. */
  public static boolean watched(ServerCallTracer.Call call) {
    return call != SERVER_NONE;
  }

  public static boolean watched(ClientCallTracer.Call call) {
    return call != CLIENT_NONE;
  }

  public static boolean watched(ClientCallTracer.Attempt attempt) {
    return attempt != ATTEMPT_NONE;
  }

  /** What the server's tracer itself returned for a call, or null if it is not watched. */
  public static ServerCallTracer.Call unwrap(ServerCallTracer.Call call) {
    return call instanceof SafeServerCall safe ? safe.delegate() : null;
  }

  private static void failed(RuntimeException e) {
    log.log(Level.WARNING, "a call tracer threw; the call goes on", e);
  }

  /** A tracer's exception stays with the tracer: the call it watches goes on. */
  private record SafeServerCall(ServerCallTracer.Call delegate) implements ServerCallTracer.Call {
    @Override
    public void inboundMessage(int wireSize) {
      try {
        delegate.inboundMessage(wireSize);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void outboundHeaders(Metadata headers) {
      try {
        delegate.outboundHeaders(headers);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void outboundMessage(int wireSize) {
      try {
        delegate.outboundMessage(wireSize);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void closed(Status status, Metadata trailers) {
      try {
        delegate.closed(status, trailers);
      } catch (RuntimeException e) {
        failed(e);
      }
    }
  }

  /** A tracer's exception stays with the tracer: the call it watches goes on. */
  private record SafeClientCall(ClientCallTracer.Call delegate) implements ClientCallTracer.Call {
    @Override
    public ClientCallTracer.Attempt attemptStarted(int previousAttempts, boolean transparentRetry) {
      try {
        ClientCallTracer.Attempt attempt =
            delegate.attemptStarted(previousAttempts, transparentRetry);
        return attempt == null ? ATTEMPT_NONE : new SafeAttempt(attempt);
      } catch (RuntimeException e) {
        failed(e);
        return ATTEMPT_NONE;
      }
    }

    @Override
    public void hedging() {
      try {
        delegate.hedging();
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void delayedNameResolutionComplete() {
      try {
        delegate.delayedNameResolutionComplete();
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void closed(Status status, Metadata trailers) {
      try {
        delegate.closed(status, trailers);
      } catch (RuntimeException e) {
        failed(e);
      }
    }
  }

  private record SafeAttempt(ClientCallTracer.Attempt delegate)
      implements ClientCallTracer.Attempt {
    @Override
    public void outboundHeaders(Metadata headers) {
      try {
        delegate.outboundHeaders(headers);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void delayedPickComplete() {
      try {
        delegate.delayedPickComplete();
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void outboundMessage(int wireSize) {
      try {
        delegate.outboundMessage(wireSize);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void inboundHeaders(Metadata headers) {
      try {
        delegate.inboundHeaders(headers);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void inboundMessage(int wireSize) {
      try {
        delegate.inboundMessage(wireSize);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void closed(Status status, Metadata trailers) {
      try {
        delegate.closed(status, trailers);
      } catch (RuntimeException e) {
        failed(e);
      }
    }
  }
}
