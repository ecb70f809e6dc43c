package dev.strand.internal.lb;

import static dev.strand.ConnectivityState.CONNECTING;
import static dev.strand.ConnectivityState.IDLE;
import static dev.strand.ConnectivityState.READY;
import static dev.strand.ConnectivityState.TRANSIENT_FAILURE;
import static dev.strand.internal.lb.RecordingHelper.endpoints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Status;
import dev.strand.spi.NameResolver;
import dev.strand.spi.PickResult;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** pick_first as A61 and A62 describe it, driven state by state through a recording helper. */
class PickFirstLoadBalancerTest {
  private final RecordingHelper helper = new RecordingHelper();
  private final PickFirstLoadBalancer policy = new PickFirstLoadBalancer(helper, new Random(7));

  @Test
  void connectsToTheFirstAddressOnlyAndKeepsIt() {
    policy.acceptResolvedAddresses(endpoints("10.0.0.1", "10.0.0.2", "10.0.0.3"), Map.of());
    assertEquals(CONNECTING, helper.state());
    assertEquals(1, helper.subchannel("10.0.0.1").connectionRequests);
    assertEquals(1, helper.subchannels.size(), "no other address is tried yet");
    assertTrue(helper.pick(false).subchannel() == null, "calls wait while CONNECTING");

    helper.subchannel("10.0.0.1").report(CONNECTING);
    helper.subchannel("10.0.0.1").report(READY);
    assertEquals(READY, helper.state());
    for (int i = 0; i < 10; i++) {
      assertEquals("10.0.0.1", helper.pickedHost());
    }
    helper.advance(5_000);
    assertEquals(1, helper.subchannels.size(), "once READY, no other attempt starts");
  }

  @Test
  void happyEyeballsStartsTheNextAttemptAfterTheDelayWithoutStoppingTheFirst() {
    policy.acceptResolvedAddresses(endpoints("10.0.0.1", "10.0.0.2", "10.0.0.3"), Map.of());
    helper.subchannel("10.0.0.1").report(CONNECTING);
    helper.advance(249);
    assertFalse(helper.hasLiveSubchannel("10.0.0.2"), "not before 250 ms");
    helper.advance(1);
    assertEquals(1, helper.subchannel("10.0.0.2").connectionRequests, "second attempt at 250 ms");
    assertFalse(helper.subchannel("10.0.0.1").shutdown, "the first attempt goes on");
    helper.subchannel("10.0.0.2").report(CONNECTING);

    helper.subchannel("10.0.0.2").report(READY); // the second one wins the race
    assertEquals(READY, helper.state());
    assertEquals("10.0.0.2", helper.pickedHost());
    assertTrue(helper.subchannels.get(0).shutdown, "the attempt still in flight is abandoned");
    helper.advance(1_000);
    assertFalse(helper.hasLiveSubchannel("10.0.0.3"), "no third attempt after one is READY");
  }

  @Test
  void aFailedAttemptMovesOnAtOnce() {
    policy.acceptResolvedAddresses(endpoints("10.0.0.1", "10.0.0.2"), Map.of());
    helper.subchannel("10.0.0.1").fail("refused");
    assertEquals(1, helper.subchannel("10.0.0.2").connectionRequests);
    assertEquals(CONNECTING, helper.state(), "not TRANSIENT_FAILURE before every address failed");
  }

  @Test
  void everyAddressFailedIsStickyTransientFailureThatKeepsReconnecting() {
    policy.acceptResolvedAddresses(endpoints("10.0.0.1", "10.0.0.2"), Map.of());
    helper.subchannel("10.0.0.1").fail("refused by one");
    helper.subchannel("10.0.0.2").fail("refused by two");
    assertEquals(TRANSIENT_FAILURE, helper.state());
    assertEquals(1, helper.refreshes, "the first pass failing asks the resolver to look again");
    PickResult failFast = helper.pick(false);
    assertEquals(Status.Code.UNAVAILABLE, failFast.status().code());
    assertTrue(
        failFast.status().description().contains("10.0.0.1")
            && failFast.status().description().contains("10.0.0.2")
            && failFast.status().description().contains("refused by two"),
        failFast.status().description());

    int updates = helper.states.size();
    helper.subchannel("10.0.0.1").report(IDLE); // its backoff is over
    assertEquals(2, helper.subchannel("10.0.0.1").connectionRequests, "reconnects at once");
    helper.subchannel("10.0.0.1").report(CONNECTING);
    assertEquals(updates, helper.states.size(), "still TRANSIENT_FAILURE: no CONNECTING shown");
    helper.subchannel("10.0.0.1").fail("refused again");
    assertEquals(TRANSIENT_FAILURE, helper.state());
    assertTrue(helper.pick(false).status().description().contains("refused again"));
    helper.subchannel("10.0.0.2").fail("and again");
    assertEquals(2, helper.refreshes, "as many failures as subchannels: look again");

    helper.subchannel("10.0.0.2").report(READY);
    assertEquals(READY, helper.state());
    assertEquals("10.0.0.2", helper.pickedHost());
  }

  @Test
  void aLostConnectionGoesIdleAndTheNextCallStartsAnewPass() {
    policy.acceptResolvedAddresses(endpoints("10.0.0.1", "10.0.0.2"), Map.of());
    helper.subchannel("10.0.0.1").report(READY);
    helper.subchannel("10.0.0.1").report(IDLE); // GOAWAY or closed
    assertEquals(IDLE, helper.state());
    assertNull(helper.pick(false).subchannel());
    assertEquals(1, helper.refreshes);
    assertEquals(1, helper.subchannel("10.0.0.1").connectionRequests, "lazy until a call comes");

    policy.requestConnection();
    assertEquals(CONNECTING, helper.state());
    assertEquals(2, helper.subchannel("10.0.0.1").connectionRequests);
  }

  @Test
  void newAddressesKeepTheConnectionWhileItsAddressStaysAndMoveWhenItGoes() {
    policy.acceptResolvedAddresses(endpoints("10.0.0.1", "10.0.0.2"), Map.of());
    helper.subchannel("10.0.0.1").report(READY);
    policy.acceptResolvedAddresses(endpoints("10.0.0.3", "10.0.0.1"), Map.of());
    assertEquals("10.0.0.1", helper.pickedHost());
    assertFalse(helper.hasLiveSubchannel("10.0.0.3"));

    policy.acceptResolvedAddresses(endpoints("10.0.0.3"), Map.of());
    assertTrue(helper.subchannels.get(0).shutdown, "its server left the name");
    assertEquals(CONNECTING, helper.state());
    assertEquals(1, helper.subchannel("10.0.0.3").connectionRequests);
  }

  @Test
  void shuffleAddressListShufflesEndpointsButNotTheAddressesWithinOne() {
    List<NameResolver.Endpoint> endpoints = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      endpoints.add(
          new NameResolver.Endpoint(
              List.of(
                  RecordingHelper.address("10.0." + i + ".1"),
                  RecordingHelper.address("10.0." + i + ".2"))));
    }
    List<NameResolver.Endpoint> expected = new ArrayList<>(endpoints);
    Collections.shuffle(expected, new Random(7));
    policy.acceptResolvedAddresses(endpoints, Map.of("shuffleAddressList", true));
    InetSocketAddress first = (InetSocketAddress) helper.subchannels.get(0).address();
    assertEquals(expected.get(0).addresses().get(0), first);
    helper.subchannels.get(0).fail("refused");
    assertEquals(expected.get(0).addresses().get(1), helper.subchannels.get(1).address());

    RecordingHelper unshuffled = new RecordingHelper();
    new PickFirstLoadBalancer(unshuffled, new Random(7))
        .acceptResolvedAddresses(endpoints, Map.of("shuffleAddressList", false));
    assertEquals(endpoints.get(0).addresses().get(0), unshuffled.subchannels.get(0).address());
  }

  @Test
  void aResolutionErrorWithNoAddressesFailsCallsWithIt() {
    Status error = Status.UNAVAILABLE.withDescription("NXDOMAIN for orders.internal");
    policy.handleNameResolutionError(error);
    assertEquals(TRANSIENT_FAILURE, helper.state());
    assertEquals(error.description(), helper.pick(false).status().description());
  }

  @Test
  void theConfigIsChecked() {
    PickFirstLoadBalancer.Provider provider = new PickFirstLoadBalancer.Provider();
    provider.validateConfig(Map.of("shuffleAddressList", true));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> provider.validateConfig(Map.of("shuffleAddressList", "yes")));
    assertTrue(e.getMessage().contains("shuffleAddressList"), e.getMessage());
  }
}
