package dev.strand.internal.call;

import dev.strand.Deadline;
import dev.strand.MethodDescriptor;
import dev.strand.client.CallOptions;
import dev.strand.internal.config.MethodConfig;
import dev.strand.internal.config.ServiceConfig;

/**
 * A service config's per-method settings (service_config.md) applied to a call's options, as a
 * channel makes the call. Each one only ever tightens what the call asked for:
 *
 * <ul>
 *   <li>{@code timeout}: the deadline is the earlier of now + timeout and the call's own;
 *   <li>{@code waitForReady}: taken only by a call that chose neither wait-for-ready nor fail-fast;
 *   <li>{@code maxResponseMessageBytes}, {@code maxRequestMessageBytes}: the smaller of the
 *       config's and the call's limit (the channel's, for responses, if the call sets none).
 * </ul>
 *
 * A call of a method the config says nothing about gets its own options back, after at most one
 * hash lookup (none when the config has no method configs), and nothing is allocated.
 */
public final class MethodConfigOptions {
  private MethodConfigOptions() {}

  /**
   * The options a call of {@code method} runs with under {@code config}.
   *
   * @param channelMaxInbound the channel's response size limit, which applies when the call sets
   *     none
   */
  public static CallOptions apply(
      ServiceConfig config,
      MethodDescriptor<?, ?> method,
      CallOptions options,
      int channelMaxInbound) {
    MethodConfig settings = config.methodConfig(method);
    if (settings == null || !settings.setsCallOptions()) {
      return options;
    }
    CallOptions applied = options;
    if (settings.timeout() != null) {
      Deadline fromConfig = Deadline.after(settings.timeout());
      if (applied.deadline() == null || fromConfig.isBefore(applied.deadline())) {
        applied = applied.withDeadline(fromConfig);
      }
    }
    if (settings.waitForReady() != null && !applied.waitForReadyChosen()) {
      applied =
          settings.waitForReady() ? applied.withWaitForReady() : applied.withoutWaitForReady();
    }
    Integer maxResponse = settings.maxResponseMessageBytes();
    if (maxResponse != null) {
      int current =
          applied.maxInboundMessageSize() >= 0
              ? applied.maxInboundMessageSize()
              : channelMaxInbound;
      if (maxResponse < current) {
        applied = applied.withMaxInboundMessageSize(maxResponse);
      }
    }
    Integer maxRequest = settings.maxRequestMessageBytes();
    if (maxRequest != null) {
      int current = applied.maxOutboundMessageSize();
      if (current < 0 || maxRequest < current) {
        applied = applied.withMaxOutboundMessageSize(maxRequest);
      }
    }
    return applied;
  }
}
