package dev.strand.internal.config;

import java.time.Duration;

/**
 * What the service config says about the calls of one method, one service or all of them (a {@code
 * methodConfig} entry of service_config.md). Each setting is null when the entry leaves it unset.
 *
 * <p>The channel applies the first four to each call (see {@code
 * dev.strand.internal.call.MethodConfigOptions}); a call under a retry or hedging policy runs as a
 * {@code dev.strand.internal.retry.RetryingCall}.
 *
 * @param timeout the longest a call may take: its deadline is the earlier of now + this and its own
 * @param waitForReady wait-for-ready (wait-for-ready.md) for calls that do not choose themselves
 * @param maxRequestMessageBytes the largest request message a call may send, measured after
 *     per-message compression; larger ones fail the call with RESOURCE_EXHAUSTED before they leave
 *     (values beyond {@code Integer.MAX_VALUE} are kept as that)
 * @param maxResponseMessageBytes the largest response message a call accepts, likewise measured;
 *     the smaller of this and the call's or channel's own limit applies
 * @param retryPolicy how failed attempts are retried (A6); null when not retried
 * @param hedgingPolicy how attempts are hedged (A6); never set together with {@code retryPolicy}
 */
public record MethodConfig(
    Duration timeout,
    Boolean waitForReady,
    Integer maxRequestMessageBytes,
    Integer maxResponseMessageBytes,
    RetryPolicy retryPolicy,
    HedgingPolicy hedgingPolicy) {

  /** Whether this entry sets anything a call's options carry (all but retries and hedging). */
  public boolean setsCallOptions() {
    return timeout != null
        || waitForReady != null
        || maxRequestMessageBytes != null
        || maxResponseMessageBytes != null;
  }
}
