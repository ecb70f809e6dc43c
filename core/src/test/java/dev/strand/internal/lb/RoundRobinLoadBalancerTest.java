package dev.strand.internal.lb;

import static dev.strand.ConnectivityState.CONNECTING;
import static dev.strand.ConnectivityState.IDLE;
import static dev.strand.ConnectivityState.READY;
import static dev.strand.ConnectivityState.TRANSIENT_FAILURE;
import static dev.strand.internal.lb.RecordingHelper.endpoints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Status;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** round_robin driven state by state through a recording helper. */
class RoundRobinLoadBalancerTest {
  private final RecordingHelper helper = new RecordingHelper();
  private final RoundRobinLoadBalancer policy = new RoundRobinLoadBalancer(helper);

  private Map<String, Integer> spread(int picks) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < picks; i++) {
      counts.merge(String.valueOf(helper.pickedHost()), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void connectsToEveryAddressAndTakesTheReadyOnesInTurn() {
    policy.acceptResolvedAddresses(endpoints("10.0.0.1", "10.0.0.2", "10.0.0.3"), Map.of());
    assertEquals(3, helper.subchannels.size());
    helper.subchannels.forEach(s -> assertEquals(1, s.connectionRequests));
    assertEquals(CONNECTING, helper.state());

    helper.subchannel("10.0.0.1").report(READY);
    assertEquals(READY, helper.state(), "READY as soon as one is");
    assertEquals(Map.of("10.0.0.1", 9), spread(9));
    helper.subchannel("10.0.0.2").report(READY);
    helper.subchannel("10.0.0.3").report(READY);
    assertEquals(Map.of("10.0.0.1", 3, "10.0.0.2", 3, "10.0.0.3", 3), spread(9));
  }

  @Test
  void aFailedSubchannelLeavesTheRotationReconnectsAndRejoins() {
    policy.acceptResolvedAddresses(endpoints("10.0.0.1", "10.0.0.2"), Map.of());
    helper.subchannel("10.0.0.1").report(READY);
    helper.subchannel("10.0.0.2").report(READY);

    helper.subchannel("10.0.0.2").report(IDLE); // its connection was lost
    assertEquals(Map.of("10.0.0.1", 10), spread(10));
    assertEquals(2, helper.subchannel("10.0.0.2").connectionRequests, "reconnects at once");
    assertEquals(1, helper.refreshes, "a lost connection asks the resolver to look again");
    helper.subchannel("10.0.0.2").fail("refused");
    helper.subchannel("10.0.0.2").report(IDLE); // backoff over
    assertEquals(3, helper.subchannel("10.0.0.2").connectionRequests);

    helper.subchannel("10.0.0.2").report(READY);
    assertEquals(Map.of("10.0.0.1", 5, "10.0.0.2", 5), spread(10));
  }

  @Test
  void allFailedIsTransientFailureUntilOneIsReadyAgain() {
    policy.acceptResolvedAddresses(endpoints("10.0.0.1", "10.0.0.2"), Map.of());
    helper.subchannel("10.0.0.1").fail("refused one");
    assertEquals(CONNECTING, helper.state(), "one is still trying");
    helper.subchannel("10.0.0.2").fail("refused two");
    assertEquals(TRANSIENT_FAILURE, helper.state());
    Status error = helper.pick(false).status();
    assertEquals(Status.Code.UNAVAILABLE, error.code());
    assertTrue(error.description().contains("refused two"), error.description());

    helper.subchannel("10.0.0.1").report(IDLE);
    helper.subchannel("10.0.0.1").report(CONNECTING);
    assertEquals(TRANSIENT_FAILURE, helper.state(), "sticky while the failed ones retry");
    helper.subchannel("10.0.0.1").report(READY);
    assertEquals(READY, helper.state());
    assertEquals("10.0.0.1", helper.pickedHost());
  }

  @Test
  void subchannelsFollowTheAddresses() {
    policy.acceptResolvedAddresses(endpoints("10.0.0.1", "10.0.0.2"), Map.of());
    helper.subchannel("10.0.0.1").report(READY);
    helper.subchannel("10.0.0.2").report(READY);
    policy.acceptResolvedAddresses(endpoints("10.0.0.2", "10.0.0.3"), Map.of());
    assertTrue(helper.subchannels.get(0).shutdown, "10.0.0.1 left the name");
    assertEquals(Map.of("10.0.0.2", 6), spread(6));
    helper.subchannel("10.0.0.3").report(READY);
    assertEquals(Map.of("10.0.0.2", 3, "10.0.0.3", 3), spread(6));
    // A state change from the removed one changes nothing.
    helper.subchannels.get(0).report(READY);
    assertEquals(Map.of("10.0.0.2", 3, "10.0.0.3", 3), spread(6));
  }
}
