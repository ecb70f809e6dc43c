package dev.strand.internal.lb;

import static dev.strand.internal.lb.RecordingHelper.address;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8305 section 4 interleaving, as A61 asks of pick_first. */
class AddressListsTest {

  @Test
  void familiesAlternateStartingWithTheFirstAddresssFamily() {
    List<SocketAddress> mixed =
        List.of(
            address("2001:db8::1"),
            address("2001:db8::2"),
            address("2001:db8::3"),
            address("10.0.0.1"),
            address("10.0.0.2"));
    assertEquals(
        List.of(
            address("2001:db8::1"),
            address("10.0.0.1"),
            address("2001:db8::2"),
            address("10.0.0.2"),
            address("2001:db8::3")),
        AddressLists.interleaveFamilies(mixed));

    List<SocketAddress> v4First =
        List.of(address("10.0.0.1"), address("2001:db8::1"), address("2001:db8::2"));
    assertEquals(
        List.of(address("10.0.0.1"), address("2001:db8::1"), address("2001:db8::2")),
        AddressLists.interleaveFamilies(v4First));
  }

  @Test
  void oneFamilyAndOtherAddressesKeepTheirOrder() {
    SocketAddress unix = UnixDomainSocketAddress.of("/tmp/x.sock");
    List<SocketAddress> v4 = List.of(address("10.0.0.2"), address("10.0.0.1"), unix);
    assertEquals(v4, AddressLists.interleaveFamilies(v4));
  }
}
