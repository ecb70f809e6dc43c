package dev.strand.internal.config;

import dev.strand.Status;
import java.time.Duration;
import java.util.Set;

/**
 * A method's {@code hedgingPolicy} (A6, "Hedging Policy"): the first attempt goes at once, another
 * after each {@code hedgingDelay} without a response, up to {@code maxAttempts} in flight; the
 * first attempt to receive response headers wins. Acted on by {@code
 * dev.strand.internal.retry.RetryingCall}.
 *
 * @param maxAttempts attempts including the first, from 2, capped at {@link
 *     RetryPolicy#MAX_ATTEMPTS_LIMIT}
 * @param hedgingDelay the wait between sending one attempt and the next; zero (the default) sends
 *     them all at once
 * @param nonFatalStatusCodes the statuses after which the other attempts go on (and the next one is
 *     sent at once); any other status ends the call. May be empty; never OK
 */
public record HedgingPolicy(
    int maxAttempts, Duration hedgingDelay, Set<Status.Code> nonFatalStatusCodes) {}
