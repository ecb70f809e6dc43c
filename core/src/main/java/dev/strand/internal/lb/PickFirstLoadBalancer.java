package dev.strand.internal.lb;

import dev.strand.ConnectivityState;
import dev.strand.Status;
import dev.strand.spi.LoadBalancer;
import dev.strand.spi.LoadBalancerProvider;
import dev.strand.spi.NameResolver;
import dev.strand.spi.PickResult;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * pick_first, the default policy: one connection, to the first address that takes one, kept for
 * every call until it is lost. As gRFC A61 and A62 say:
 *
 * <ul>
 *   <li>The addresses are shuffled first if the config says {@code "shuffleAddressList": true}
 *       (endpoints, not the addresses within one), then flattened and interleaved by family.
 *   <li>The first pass is Happy Eyeballs: connect to the first address, and if it has not connected
 *       within the connection attempt delay (250 ms), to the next one too, and so on; a failed
 *       attempt moves on at once. The first to become READY is kept; the others are shut down.
 *   <li>Once every address has failed, TRANSIENT_FAILURE, sticky: every subchannel reconnects when
 *       its backoff is over, and the state stays TRANSIENT_FAILURE until one becomes READY. Each
 *       time as many failures as subchannels are seen, the resolver is asked to look again.
 *   <li>A lost connection makes the policy IDLE (and asks for re-resolution); the next call starts
 *       a new pass.
 * </ul>
 */
public final class PickFirstLoadBalancer implements LoadBalancer {
  /** RFC 8305's recommended Connection Attempt Delay. */
  static final Duration CONNECTION_ATTEMPT_DELAY = Duration.ofMillis(250);

  private final Helper helper;
  private final Random random;
  private final Map<SocketAddress, TrackedSubchannel> subchannels = new HashMap<>();
  private List<SocketAddress> addresses = List.of();

  /** The next address of the current pass to try. */
  private int passIndex;

  private ScheduledFuture<?> attemptDelay;

  /** Counts passes, so that a delay timer of an earlier pass that fires late does nothing. */
  private int pass;

  private TrackedSubchannel selected;

  /** The selected connection was lost: wait for a call before connecting again. */
  private boolean idle;

  /** Every address failed once: TRANSIENT_FAILURE until one connects. */
  private boolean stickyFailure;

  private int failuresSinceRefresh;
  private Status lastError = Status.UNAVAILABLE.withDescription("no address tried yet");

  PickFirstLoadBalancer(Helper helper, Random random) {
    this.helper = helper;
    this.random = random;
  }

  @Override
  public void acceptResolvedAddresses(
      List<NameResolver.Endpoint> endpoints, Map<String, ?> config) {
    boolean shuffle = Boolean.TRUE.equals(config.get("shuffleAddressList"));
    List<NameResolver.Endpoint> ordered =
        shuffle ? AddressLists.shuffled(endpoints, random) : endpoints;
    addresses = AddressLists.interleaveFamilies(AddressLists.flatten(ordered));
    if (selected != null && !addresses.contains(selected.address())) {
      selected = null; // its server left the name
    }
    TrackedSubchannel.shutDownGone(subchannels, addresses);
    if (selected != null || idle) {
      return; // still connected to an address on the list, or waiting for a call
    }
    startPass();
  }

  @Override
  public void handleNameResolutionError(Status error) {
    if (subchannels.isEmpty()) {
      lastError = error;
      TrackedSubchannel.failWithResolutionError(helper, error);
    }
  }

  @Override
  public void requestConnection() {
    if (idle && selected == null && !addresses.isEmpty()) {
      idle = false;
      startPass();
    }
  }

  @Override
  public void shutdown() {
    cancelAttemptDelay();
    subchannels.values().forEach(a -> a.subchannel.shutdown());
    subchannels.clear();
    selected = null;
  }

  private void startPass() {
    cancelAttemptDelay();
    pass++;
    passIndex = 0;
    failuresSinceRefresh = 0;
    subchannels.values().forEach(a -> a.failed = false);
    if (!stickyFailure) {
      helper.updateBalancingState(ConnectivityState.CONNECTING, args -> PickResult.queue());
    }
    attemptNext();
  }

  /** Starts the next attempt of the pass (A61's rules for a subchannel not IDLE). */
  private void attemptNext() {
    cancelAttemptDelay();
    while (passIndex < addresses.size() && selected == null) {
      SocketAddress address = addresses.get(passIndex++);
      TrackedSubchannel attempt =
          subchannels.computeIfAbsent(
              address, a -> new TrackedSubchannel(helper, a, false, this::onStateChange));
      switch (attempt.state) {
        case READY -> {
          select(attempt);
          return;
        }
        case TRANSIENT_FAILURE -> {
          attempt.failed = true; // in backoff: counts as tried
          continue;
        }
        case IDLE -> attempt.subchannel.requestConnection();
        default -> {} // CONNECTING already: as if asked now
      }
      if (passIndex < addresses.size()) {
        int thisPass = pass;
        attemptDelay =
            helper.schedule(
                () -> {
                  if (pass == thisPass) {
                    attemptNext(); // not connected within the delay: the next one too
                  }
                },
                CONNECTION_ATTEMPT_DELAY.toNanos(),
                TimeUnit.NANOSECONDS);
      }
      return;
    }
    maybePassFailed();
  }

  private void onStateChange(TrackedSubchannel attempt, ConnectivityState was, Status status) {
    if (subchannels.get(attempt.address()) != attempt) {
      return; // shut down
    }
    switch (attempt.state) {
      case READY -> select(attempt);
      case TRANSIENT_FAILURE -> onFailure(attempt, status);
      case IDLE -> {
        if (attempt == selected) {
          // The connection was lost: new calls wait for the next pass (connectivity semantics).
          selected = null;
          idle = true;
          helper.updateBalancingState(ConnectivityState.IDLE, args -> PickResult.queue());
          helper.refreshNameResolution();
        } else if (stickyFailure && was == ConnectivityState.TRANSIENT_FAILURE) {
          attempt.subchannel.requestConnection(); // backoff over: try it again
        }
      }
      default -> {}
    }
  }

  private void onFailure(TrackedSubchannel attempt, Status status) {
    lastError = status;
    attempt.failed = true;
    if (stickyFailure) {
      if (++failuresSinceRefresh >= subchannels.size()) {
        failuresSinceRefresh = 0;
        helper.refreshNameResolution();
      }
      reportFailure(); // the latest error for the calls that fail fast
      return;
    }
    if (passIndex < addresses.size()) {
      attemptNext(); // a failed attempt moves on at once
    } else {
      maybePassFailed();
    }
  }

  /** The pass is over once every address was tried and each of them failed. */
  private void maybePassFailed() {
    if (selected != null || passIndex < addresses.size()) {
      return;
    }
    for (SocketAddress address : addresses) {
      TrackedSubchannel attempt = subchannels.get(address);
      if (attempt == null || !attempt.failed) {
        return; // an attempt is still in flight
      }
    }
    stickyFailure = true;
    reportFailure();
    helper.refreshNameResolution();
    for (TrackedSubchannel attempt : subchannels.values()) {
      if (attempt.state == ConnectivityState.IDLE) {
        attempt.subchannel.requestConnection(); // its backoff ended during the pass
      }
    }
  }

  private void reportFailure() {
    Status error = TrackedSubchannel.cannotConnect(addresses, lastError);
    helper.updateBalancingState(
        ConnectivityState.TRANSIENT_FAILURE, args -> PickResult.withError(error));
  }

  private void select(TrackedSubchannel attempt) {
    cancelAttemptDelay();
    selected = attempt;
    idle = false;
    stickyFailure = false;
    for (Iterator<TrackedSubchannel> it = subchannels.values().iterator(); it.hasNext(); ) {
      TrackedSubchannel other = it.next();
      if (other != attempt) {
        other.subchannel.shutdown(); // attempts still in flight are abandoned (A61)
        it.remove();
      }
    }
    PickResult pick = attempt.pick;
    helper.updateBalancingState(ConnectivityState.READY, args -> pick);
  }

  private void cancelAttemptDelay() {
    if (attemptDelay != null) {
      attemptDelay.cancel(false);
      attemptDelay = null;
    }
  }

  /** Makes pick_first; the config takes {@code shuffleAddressList} (A62). */
  public static final class Provider implements LoadBalancerProvider {
    @Override
    public String policyName() {
      return "pick_first";
    }

    @Override
    public LoadBalancer newLoadBalancer(Helper helper) {
      return new PickFirstLoadBalancer(helper, new Random());
    }

    @Override
    public void validateConfig(Map<String, ?> config) {
      Object shuffle = config.get("shuffleAddressList");
      if (shuffle != null && !(shuffle instanceof Boolean)) {
        throw new IllegalArgumentException(
            "pick_first: shuffleAddressList must be true or false, not " + shuffle);
      }
    }
  }
}
