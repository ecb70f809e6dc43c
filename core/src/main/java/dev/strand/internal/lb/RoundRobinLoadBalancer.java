package dev.strand.internal.lb;

import dev.strand.ConnectivityState;
import dev.strand.Status;
import dev.strand.spi.LoadBalancer;
import dev.strand.spi.LoadBalancerProvider;
import dev.strand.spi.NameResolver;
import dev.strand.spi.PickResult;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * round_robin (load-balancing.md): a subchannel per resolved address, all kept connected; new calls
 * take the READY ones in turn. A subchannel whose connection fails or is lost leaves the rotation
 * at once and reconnects on its own (after its backoff once a connect has failed), rejoining when
 * READY. The channel is READY while any subchannel is; CONNECTING while any is trying that has not
 * failed since it was last READY; else TRANSIENT_FAILURE (sticky per subchannel, as in A61).
 */
public final class RoundRobinLoadBalancer implements LoadBalancer {
  private final Helper helper;
  private final Map<SocketAddress, TrackedSubchannel> members = new LinkedHashMap<>();
  private Status lastError = Status.UNAVAILABLE.withDescription("no address tried yet");

  RoundRobinLoadBalancer(Helper helper) {
    this.helper = helper;
  }

  @Override
  public void acceptResolvedAddresses(
      List<NameResolver.Endpoint> endpoints, Map<String, ?> config) {
    List<SocketAddress> addresses = AddressLists.flatten(endpoints);
    TrackedSubchannel.shutDownGone(members, addresses);
    for (SocketAddress address : addresses) {
      if (!members.containsKey(address)) {
        TrackedSubchannel member =
            new TrackedSubchannel(helper, address, true, this::onStateChange);
        members.put(address, member);
        member.subchannel.requestConnection();
      }
    }
    update();
  }

  @Override
  public void handleNameResolutionError(Status error) {
    if (members.isEmpty()) {
      lastError = error;
      TrackedSubchannel.failWithResolutionError(helper, error);
    }
  }

  @Override
  public void requestConnection() {
    members.values().forEach(m -> m.subchannel.requestConnection());
  }

  @Override
  public void shutdown() {
    members.values().forEach(m -> m.subchannel.shutdown());
    members.clear();
  }

  /** {@code failed}: since it was last READY; it counts as TRANSIENT_FAILURE while it retries. */
  private void onStateChange(TrackedSubchannel member, ConnectivityState was, Status status) {
    if (members.get(member.address()) != member) {
      return; // shut down
    }
    switch (member.state) {
      case READY -> member.failed = false;
      case TRANSIENT_FAILURE -> {
        member.failed = true;
        lastError = status;
        helper.refreshNameResolution();
      }
      case IDLE -> {
        // Lost, or its backoff is over: round_robin keeps every subchannel connected.
        member.subchannel.requestConnection();
        if (was == ConnectivityState.READY) {
          helper.refreshNameResolution(); // the servers may have moved (naming.md)
        }
      }
      default -> {}
    }
    update();
  }

  /** After any change: the channel's state and a new rotation of the READY subchannels. */
  private void update() {
    List<PickResult> ready = new ArrayList<>();
    boolean trying = false;
    for (TrackedSubchannel m : members.values()) {
      if (m.state == ConnectivityState.READY) {
        ready.add(m.pick);
      } else if (!m.failed) {
        trying = true;
      }
    }
    if (!ready.isEmpty()) {
      helper.updateBalancingState(ConnectivityState.READY, new Rotation(ready));
    } else if (trying) {
      helper.updateBalancingState(ConnectivityState.CONNECTING, args -> PickResult.queue());
    } else {
      Status error = TrackedSubchannel.cannotConnect(members.keySet(), lastError);
      helper.updateBalancingState(
          ConnectivityState.TRANSIENT_FAILURE, args -> PickResult.withError(error));
    }
  }

  /**
   * The READY subchannels' picks in turn, from a random start so that many channels do not all
   * begin on the same server. A pick is an atomic increment and an array read.
   */
  static final class Rotation implements Picker {
    private final PickResult[] picks;
    private final AtomicInteger next;

    Rotation(List<PickResult> picks) {
      this.picks = picks.toArray(new PickResult[0]);
      this.next = new AtomicInteger(ThreadLocalRandom.current().nextInt(this.picks.length));
    }

    @Override
    public PickResult pick(PickArgs args) {
      return picks[Math.floorMod(next.getAndIncrement(), picks.length)];
    }
  }

  /** Makes round_robin; it takes no config. */
  public static final class Provider implements LoadBalancerProvider {
    @Override
    public String policyName() {
      return "round_robin";
    }

    @Override
    public LoadBalancer newLoadBalancer(Helper helper) {
      return new RoundRobinLoadBalancer(helper);
    }
  }
}
