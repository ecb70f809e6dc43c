package dev.strand.internal.retry;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ClientCall;
import dev.strand.internal.call.Tracing;
import dev.strand.internal.config.HedgingPolicy;
import dev.strand.internal.config.RetryPolicy;
import dev.strand.internal.wire.HeaderNames;
import dev.strand.spi.ClientCallTracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A call under a retry or hedging policy (A6). Each attempt is a call of its own, made through the
 * channel's interceptors (so each attempt has its own interceptor view), with the call's deadline,
 * its headers plus {@code grpc-previous-rpc-attempts}, and every message the application has sent
 * so far replayed from a buffer.
 *
 * <p>The call <em>commits</em> to an attempt once that attempt receives response headers (or ends
 * OK), or once the buffer would pass its per-call or per-channel limit; from then on nothing more
 * is retried, the other attempts are cancelled, the buffer is freed and messages go straight
 * through. Before that, a failed attempt is retried (retry policy: its status is retryable;
 * hedging: it is non-fatal) after a jittered exponential backoff or the server's pushback, while
 * attempts and the throttle allow. The application sees one call: the committed attempt's headers,
 * messages and close, or the last failure, whose description says how many attempts were made.
 */
public final class RetryingCall<ReqT, RespT> implements ClientCall<ReqT, RespT> {
  static final String PREVIOUS_ATTEMPTS = HeaderNames.GRPC_PREVIOUS_RPC_ATTEMPTS;

  private final Channel channel;
  private final MethodDescriptor<ReqT, RespT> method;
  private final CallOptions options;
  private final RetryPolicy retry;
  private final HedgingPolicy hedging;
  private final RetryResources resources;
  private final ClientCallTracer tracer;
  private final String authority;
  private volatile ClientCallTracer.Call callTracer = Tracing.CLIENT_NONE;
  private final int maxAttempts;
  private final Set<Status.Code> retryable;

  // Guarded by this.
  private Listener<RespT> listener;
  private Metadata headers;
  private final List<ReqT> buffer = new ArrayList<>();
  private long bufferedBytes;
  private boolean halfClosed;
  private int requested;
  private Boolean compression;
  private final List<Attempt> inFlight = new ArrayList<>();
  private int started;
  private Attempt committed;
  private boolean lastAttempt;
  private boolean cancelled;
  private boolean closed;
  private ScheduledFuture<?> timer;
  private Duration nextBackoff;

  /** {@code retry} or {@code hedging}, exactly one of them. */
  public RetryingCall(
      Channel channel,
      MethodDescriptor<ReqT, RespT> method,
      CallOptions options,
      RetryPolicy retry,
      HedgingPolicy hedging,
      RetryResources resources,
      ClientCallTracer tracer) {
    this.channel = channel;
    this.method = method;
    this.options = options;
    this.retry = retry;
    this.hedging = hedging;
    this.resources = resources;
    this.tracer = tracer;
    this.authority = channel.authority();
    this.maxAttempts = retry != null ? retry.maxAttempts() : hedging.maxAttempts();
    this.retryable = retry != null ? retry.retryableStatusCodes() : hedging.nonFatalStatusCodes();
    this.nextBackoff = retry != null ? retry.initialBackoff() : Duration.ZERO;
  }

  // ---- ClientCall: any thread ----

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    synchronized (this) {
      if (this.listener != null) {
        throw new IllegalStateException("already started");
      }
      this.listener = listener;
      this.headers = headers;
      // One call for the tracer, however many attempts: each attempt reports to it.
      callTracer = Tracing.start(tracer, method, authority);
      if (hedging != null) {
        callTracer.hedging();
      }
      startAttempt();
      if (hedging != null) {
        scheduleHedge();
      }
    }
  }

  @Override
  public synchronized void request(int n) {
    requested += n;
    for (Attempt a : live()) {
      a.call.request(n);
    }
  }

  @Override
  public synchronized void sendMessage(ReqT message) {
    if (closed || cancelled) {
      return;
    }
    if (committed == null) {
      long size = sizeOf(message);
      if (bufferedBytes + size > resources.perCallLimit || !resources.reserve(size)) {
        commitOnOverflow(); // A6: past the buffer, keep the attempt with the most sent
      } else {
        buffer.add(message);
        bufferedBytes += size;
      }
    }
    for (Attempt a : live()) {
      a.call.sendMessage(message);
    }
  }

  @Override
  public synchronized void halfClose() {
    halfClosed = true;
    for (Attempt a : live()) {
      a.call.halfClose();
    }
  }

  @Override
  public void cancel(String message, Throwable cause) {
    List<Attempt> toCancel;
    boolean closeHere;
    synchronized (this) {
      if (cancelled || closed) {
        return;
      }
      cancelled = true;
      cancelTimer();
      toCancel = new ArrayList<>(inFlight);
      // Between attempts nothing is in flight to report the cancel: report it here.
      closeHere = toCancel.isEmpty();
      if (closeHere) {
        closed = true;
        freeBuffer();
      }
    }
    for (Attempt a : toCancel) {
      a.call.cancel(message, cause);
    }
    if (closeHere) {
      deliverClose(Status.CANCELLED.withDescription(message).withCause(cause), new Metadata());
    }
  }

  @Override
  public synchronized boolean isReady() {
    List<Attempt> attempts = live();
    return !attempts.isEmpty() && attempts.get(0).call.isReady();
  }

  @Override
  public synchronized void setMessageCompression(boolean enabled) {
    compression = enabled;
    for (Attempt a : live()) {
      a.call.setMessageCompression(enabled);
    }
  }

  // ---- attempts ----

  /** The attempts operations go to: the committed one, or every one in flight. Holds the lock. */
  private List<Attempt> live() {
    return committed != null ? List.of(committed) : inFlight;
  }

  /** Starts the next attempt and replays the call so far into it. Holds the lock. */
  private void startAttempt() {
    Attempt attempt = new Attempt(started++);
    inFlight.add(attempt);
    Metadata attemptHeaders = new Metadata().merge(headers);
    if (attempt.index > 0) {
      attemptHeaders.put(PREVIOUS_ATTEMPTS, Integer.toString(attempt.index));
    }
    attempt.call =
        channel.newCall(
            method,
            Tracing.watched(callTracer)
                ? options.withOption(
                    Tracing.ATTEMPT_OF, new Tracing.AttemptOf(callTracer, attempt.index))
                : options);
    attempt.call.start(attempt, attemptHeaders);
    if (compression != null) {
      attempt.call.setMessageCompression(compression);
    }
    if (requested > 0) {
      attempt.call.request(requested);
    }
    for (ReqT message : buffer) {
      attempt.call.sendMessage(message);
    }
    if (halfClosed) {
      attempt.call.halfClose();
    }
  }

  /** Hedging: the next attempt after the delay, while no attempt has won. Holds the lock. */
  private void scheduleHedge() {
    if (started >= maxAttempts || committed != null || lastAttempt) {
      return;
    }
    long delay = hedging.hedgingDelay().toNanos();
    if (delay == 0) {
      hedgeNow();
      return;
    }
    timer = resources.timers.schedule(this::onHedgeTimer, delay, TimeUnit.NANOSECONDS);
  }

  private synchronized void onHedgeTimer() {
    if (!closed && !cancelled) {
      hedgeNow();
    }
  }

  /** Sends the next hedged attempt if the throttle allows it (A6), then schedules the next. */
  private void hedgeNow() {
    if (started >= maxAttempts || committed != null || lastAttempt) {
      return;
    }
    if (resources.throttle != null && !resources.throttle.allowsRetry()) {
      return;
    }
    startAttempt();
    scheduleHedge();
  }

  /** Commits to the attempt in flight that has been sent the most (all have the same). */
  private void commitOnOverflow() {
    if (inFlight.isEmpty()) {
      lastAttempt = true; // between attempts: the next one is the last
      return;
    }
    commit(inFlight.get(0));
  }

  /** Commits to {@code winner}: the others are cancelled, the buffer freed. Holds the lock. */
  private void commit(Attempt winner) {
    committed = winner;
    cancelTimer();
    freeBuffer();
    for (Attempt other : new ArrayList<>(inFlight)) {
      if (other != winner) {
        inFlight.remove(other);
        other.call.cancel("another attempt of this call won", null);
      }
    }
  }

  private void freeBuffer() {
    resources.release(bufferedBytes);
    bufferedBytes = 0;
    buffer.clear();
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** An attempt ended: deliver it, retry, hedge on, or wait for the other hedges. */
  private void onAttemptClosed(Attempt attempt, Status status, Metadata trailers) {
    Status deliver;
    synchronized (this) {
      inFlight.remove(attempt);
      if (closed || (committed != null && committed != attempt)) {
        return; // a cancelled loser
      }
      if (committed == attempt || status.isOk()) {
        if (status.isOk() && resources.throttle != null) {
          resources.throttle.onSuccess();
        }
        deliver = status;
      } else {
        deliver = retryOrGiveUp(status, trailers);
        if (deliver == null) {
          return; // another attempt is coming, or others are still in flight
        }
      }
      closed = true;
      cancelTimer();
      freeBuffer();
    }
    if (attempt.index > 0) {
      trailers.put(PREVIOUS_ATTEMPTS, Integer.toString(attempt.index));
    }
    deliverClose(withAttempts(deliver), trailers);
  }

  private void deliverClose(Status status, Metadata trailers) {
    callTracer.closed(status, trailers);
    listener.onClose(status, trailers);
  }

  /**
   * A failed attempt before the call committed: schedules the next attempt and returns null, or
   * returns null to wait for hedges still in flight, or returns the status the call ends with.
   * Holds the lock.
   */
  private Status retryOrGiveUp(Status status, Metadata trailers) {
    long pushback = Pushback.of(trailers);
    boolean counts = retryable.contains(status.code()) || pushback == Pushback.STOP;
    if (counts && resources.throttle != null) {
      resources.throttle.onFailure();
    }
    if (!retryable.contains(status.code())) {
      commitFailure(); // fatal: the hedges still in flight are cancelled
      return status;
    }
    boolean mayRetry =
        pushback != Pushback.STOP
            && !cancelled
            && !lastAttempt
            && started < maxAttempts
            && (resources.throttle == null || resources.throttle.allowsRetry());
    if (!mayRetry) {
      if (pushback == Pushback.STOP) {
        lastAttempt = true; // A6: no further hedges either
      }
      return inFlight.isEmpty() ? status : null;
    }
    long delayNanos;
    if (pushback >= 0) {
      delayNanos = TimeUnit.MILLISECONDS.toNanos(pushback);
      if (retry != null) {
        nextBackoff = retry.initialBackoff(); // A6: after pushback, the backoff starts over
      }
    } else if (retry != null) {
      delayNanos = jittered(nextBackoff);
      Duration grown = Duration.ofNanos((long) (nextBackoff.toNanos() * retry.backoffMultiplier()));
      nextBackoff = grown.compareTo(retry.maxBackoff()) > 0 ? retry.maxBackoff() : grown;
    } else {
      delayNanos = 0; // hedging: a non-fatal failure sends the next hedge at once
    }
    if (options.effectiveDeadline() != null
        && options.effectiveDeadline().remainingNanos() <= delayNanos) {
      return inFlight.isEmpty() ? status : null; // the deadline comes first
    }
    cancelTimer();
    timer = resources.timers.schedule(this::onRetryTimer, delayNanos, TimeUnit.NANOSECONDS);
    return null;
  }

  private synchronized void onRetryTimer() {
    timer = null;
    if (closed || cancelled || committed != null) {
      return;
    }
    startAttempt();
    if (hedging != null) {
      scheduleHedge();
    }
  }

  private void commitFailure() {
    cancelTimer();
    for (Attempt other : new ArrayList<>(inFlight)) {
      inFlight.remove(other);
      other.call.cancel("another attempt of this call failed", null);
    }
  }

  /** A6's backoff: {@code current * random(0.8, 1.2)}. */
  private static long jittered(Duration current) {
    return (long) (current.toNanos() * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
  }

  /** The final status of a call that made more than one attempt says how many. */
  private Status withAttempts(Status status) {
    int attempts;
    synchronized (this) {
      attempts = started;
    }
    if (status.isOk() || attempts < 2) {
      return status;
    }
    String description = status.description();
    return status.withDescription(
        (description == null ? "" : description + " ") + "(after " + attempts + " attempts)");
  }

  /** The message's size as its marshaller writes it, for the replay buffer's limits. */
  private long sizeOf(ReqT message) {
    return method.requestMarshaller().sizeOf(message);
  }

  /** One attempt: its call, and its events, which decide what the application sees. */
  private final class Attempt extends Listener<RespT> {
    final int index;
    ClientCall<ReqT, RespT> call;

    Attempt(int index) {
      this.index = index;
    }

    @Override
    public void onHeaders(Metadata responseHeaders) {
      synchronized (RetryingCall.this) {
        if (closed || (committed != null && committed != this)) {
          return;
        }
        if (committed == null) {
          commit(this); // A6: response headers commit the call
        }
      }
      if (index > 0) {
        responseHeaders.put(PREVIOUS_ATTEMPTS, Integer.toString(index));
      }
      listener.onHeaders(responseHeaders);
    }

    @Override
    public void onMessage(RespT message) {
      if (isCommitted()) {
        listener.onMessage(message);
      }
    }

    @Override
    public void onReady() {
      boolean forward;
      synchronized (RetryingCall.this) {
        forward = !closed && (committed == this || committed == null && inFlight.contains(this));
      }
      if (forward) {
        listener.onReady();
      }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      onAttemptClosed(this, status, trailers);
    }

    private boolean isCommitted() {
      synchronized (RetryingCall.this) {
        return committed == this && !closed;
      }
    }
  }
}
