package dev.strand.spi;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;

/**
 * Watches every call a channel makes: what metrics and tracing (OpenTelemetry, A66, A72) are built
 * on. Set it with {@code ChannelBuilder.tracer}. A call is one or more attempts (retries and hedges
 * under a service config's policy, A6, and a transparent retry of a stream the server never
 * processed), so the tracer sees a {@link Call} that hands out an {@link Attempt} per attempt.
 *
 * <p>{@link #callStarted} runs on the thread that starts the call, so a tracer can read what that
 * thread carries (a trace context, say); every other method runs on a connection's event loop, a
 * timer or the thread doing the channel's load-balancing work, in the order the events happen, and
 * must be quick and never block.
 */
public interface ClientCallTracer {
  /** A call starts, before its first attempt; returns what watches it, or null to not watch it. */
  Call callStarted(MethodDescriptor<?, ?> method, String authority);

  /** One call, from the application's point of view. */
  interface Call {
    /**
     * An attempt starts. {@code previousAttempts} is the count of attempts of the call's retry or
     * hedging policy made before this one (what {@code grpc-previous-rpc-attempts} says); {@code
     * transparentRetry} is true if this attempt sends the previous one again because the server
     * never processed it (it then has the same count). Returns what watches the attempt.
     */
    Attempt attemptStarted(int previousAttempts, boolean transparentRetry);

    /**
     * The call runs under a hedging policy (A6): its attempts after the first are hedges, not
     * retries. Told once, before the first attempt.
     */
    default void hedging() {}

    /**
     * The call had to wait for the channel's name resolution (the channel had no addresses yet: its
     * first call, or the first after idle mode), and the resolver has now answered. At most once,
     * after the first attempt started and before it has a connection; on the thread doing the
     * channel's load-balancing work. A call on a channel that had resolved already is never told.
     */
    default void delayedNameResolutionComplete() {}

    /**
     * The call is over: the status its listener is given. Exactly once. An attempt the call no
     * longer needs (a hedge another attempt beat) may close after it.
     */
    default void closed(Status status, Metadata trailers) {}
  }

  /** One attempt's events, in order; {@link #closed} exactly once, last. */
  interface Attempt {
    /**
     * The request headers are about to go out, after interceptors added theirs. The tracer may add
     * its own (a trace context): these are the headers sent for this attempt.
     */
    default void outboundHeaders(Metadata headers) {}

    /**
     * The attempt's stream was just created on a connection, after its load-balancing pick had to
     * wait (the policy had no ready connection for it when it was first picked). At most once,
     * after {@link #outboundHeaders}, on the connection's event loop. An attempt picked at once is
     * never told.
     */
    default void delayedPickComplete() {}

    /** A request message goes out: its size on the wire, compressed if it is, prefix excluded. */
    default void outboundMessage(int wireSize) {}

    /** The response headers arrived. */
    default void inboundHeaders(Metadata headers) {}

    /** A response message arrived: its size on the wire, compressed if it was, prefix excluded. */
    default void inboundMessage(int wireSize) {}

    /** The attempt is over, however it ended. */
    default void closed(Status status, Metadata trailers) {}
  }
}
