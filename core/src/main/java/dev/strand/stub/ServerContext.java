package dev.strand.stub;

import dev.strand.Deadline;
import dev.strand.Metadata;
import dev.strand.server.ServerCall;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a stub-style handler can know about the call it serves, from its own thread: the request
 * headers, the peer, the deadline and cancellation, plus headers and trailers to send back.
 * Available through {@link #current()} while a handler runs.
 */
public final class ServerContext {
  private static final ThreadLocal<ServerContext> CURRENT = new ThreadLocal<>();

  private final ServerCall<?, ?> call;
  private final Metadata requestHeaders;
  private final Metadata responseHeaders = new Metadata();
  private final Metadata responseTrailers = new Metadata();
  private final Queue<CancelListener> cancelListeners = new ConcurrentLinkedQueue<>();
  private volatile boolean cancelled;

  ServerContext(ServerCall<?, ?> call, Metadata requestHeaders) {
    this.call = call;
    this.requestHeaders = requestHeaders;
  }

  /** The context of the call this thread is serving. */
  public static ServerContext current() {
    ServerContext ctx = CURRENT.get();
    if (ctx == null) {
      throw new IllegalStateException("not inside a Strand service method");
    }
    return ctx;
  }

  /** The context of the call this thread is serving, or null. */
  public static ServerContext currentOrNull() {
    return CURRENT.get();
  }

  ServerContext attach() {
    ServerContext previous = CURRENT.get();
    CURRENT.set(this);
    return previous;
  }

  static void detach(ServerContext previous) {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
  }

  public Metadata requestHeaders() {
    return requestHeaders;
  }

  /** Headers sent before the first response message; add to them before sending one. */
  public Metadata responseHeaders() {
    return responseHeaders;
  }

  /** Trailers sent with the final status. */
  public Metadata responseTrailers() {
    return responseTrailers;
  }

  /** Compresses the response with this encoding if the client accepts it; call before sending. */
  public void setCompression(String encoding) {
    call.setCompression(encoding);
  }

  /**
   * Whether the messages sent from now on are compressed (default true, if the call has an
   * encoding).
   */
  public void setMessageCompression(boolean enabled) {
    call.setMessageCompression(enabled);
  }

  public ServerCall.CallInfo info() {
    return call.info();
  }

  public Deadline deadline() {
    return call.info().deadline();
  }

  public boolean isCancelled() {
    return cancelled || call.isCancelled();
  }

  /**
   * Runs the listener once when the call is cancelled (at once if it already is). Close the
   * returned registration when the listener is no longer wanted: a long call that registers one per
   * nested call would otherwise keep them all.
   */
  public CancelRegistration onCancel(Runnable listener) {
    CancelListener registered = new CancelListener(listener);
    cancelListeners.add(registered);
    if (cancelled) {
      registered.fire();
    }
    return registered;
  }

  void markCancelled() {
    if (!cancelled) {
      cancelled = true;
      CancelListener next;
      while ((next = cancelListeners.poll()) != null) {
        next.fire();
      }
    }
  }

  /** A cancellation listener's registration; {@link #close} removes it. */
  public interface CancelRegistration extends AutoCloseable {
    @Override
    void close();
  }

  private final class CancelListener implements CancelRegistration {
    private final Runnable listener;
    private final AtomicBoolean done = new AtomicBoolean();

    CancelListener(Runnable listener) {
      this.listener = listener;
    }

    void fire() {
      if (done.compareAndSet(false, true)) {
        listener.run();
      }
    }

    @Override
    public void close() {
      done.set(true);
      cancelListeners.remove(this);
    }
  }
}
