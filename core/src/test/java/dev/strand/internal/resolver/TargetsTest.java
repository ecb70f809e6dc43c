package dev.strand.internal.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Status;
import dev.strand.spi.NameResolver;
import dev.strand.spi.NameResolver.Endpoint;
import dev.strand.spi.NameResolverProvider;
import dev.strand.spi.TargetUri;
import dev.strand.spi.UnixAbstractAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every target form of naming.md, parsed and resolved without a network; and the bad ones. */
class TargetsTest {

  /** What a resolver answers at once (the static ones do), as addresses. */
  private static List<SocketAddress> resolve(NameResolver resolver) {
    AtomicReference<List<Endpoint>> got = new AtomicReference<>();
    resolver.start(
        new NameResolver.Listener() {
          @Override
          public void onResult(List<Endpoint> endpoints) {
            got.set(endpoints);
          }

          @Override
          public void onError(Status error) {
            throw new AssertionError(error.toString());
          }
        });
    List<SocketAddress> all = new ArrayList<>();
    got.get().forEach(e -> all.addAll(e.addresses()));
    return all;
  }

  private static List<SocketAddress> resolve(String target) {
    return resolve(Resolvers.forTarget(target, List.of()));
  }

  private static InetSocketAddress inet(String ip, int port) throws Exception {
    return new InetSocketAddress(java.net.InetAddress.getByName(ip), port);
  }

  @Test
  void uriParts() {
    assertEquals(
        new TargetUri("dns", "8.8.8.8:53", "example.com:443", "dns://8.8.8.8:53/example.com:443"),
        TargetUri.parse("dns://8.8.8.8:53/example.com:443"));
    assertEquals(new TargetUri("dns", "", "a:1", "dns:///a:1"), TargetUri.parse("dns:///a:1"));
    assertEquals(
        new TargetUri("unix", null, "rel/sock", "unix:rel/sock"), TargetUri.parse("unix:rel/sock"));
    assertEquals("localhost", TargetUri.parse("localhost:50051").scheme());
    assertNull(TargetUri.parse("127.0.0.1:50051"), "a scheme starts with a letter");
    assertNull(TargetUri.parse("[::1]:50051"));
    assertNull(TargetUri.parse(":50051"));
  }

  @Test
  void ipLiteralsNeedNoLookup() throws Exception {
    assertEquals(List.of(inet("127.0.0.1", 50051)), resolve("127.0.0.1:50051"));
    assertEquals(List.of(inet("127.0.0.1", 50051)), resolve("dns:///127.0.0.1:50051"));
    assertEquals(List.of(inet("::1", 8443)), resolve("[::1]:8443"));
    assertEquals(List.of(inet("127.0.0.1", 443)), resolve("127.0.0.1"), "port 443 by default");
    assertEquals("127.0.0.1:50051", Resolvers.forTarget("127.0.0.1:50051", List.of()).authority());
    assertEquals("[::1]:8443", Resolvers.forTarget("[::1]:8443", List.of()).authority());
  }

  @Test
  void ipv4AndIpv6Lists() throws Exception {
    assertEquals(
        List.of(inet("127.0.0.2", 1), inet("127.0.0.3", 443), inet("10.0.0.1", 65535)),
        resolve("ipv4:127.0.0.2:1,127.0.0.3,10.0.0.1:65535"));
    assertEquals(
        List.of(inet("::1", 2), inet("2607:f8b0:400e:c00::ef", 443)),
        resolve("ipv6:[::1]:2,[2607:f8b0:400e:c00::ef]"));
    assertEquals(
        "127.0.0.2:1", Resolvers.forTarget("ipv4:127.0.0.2:1,127.0.0.3", List.of()).authority());
  }

  @Test
  void unixForms() {
    assertEquals(List.of(UnixDomainSocketAddress.of("/tmp/a.sock")), resolve("unix:///tmp/a.sock"));
    assertEquals(List.of(UnixDomainSocketAddress.of("/tmp/a.sock")), resolve("unix:/tmp/a.sock"));
    assertEquals(
        List.of(UnixDomainSocketAddress.of(Path.of("rel/a.sock"))), resolve("unix:rel/a.sock"));
    assertEquals(
        List.of(new UnixAbstractAddress("my-service")), resolve("unix-abstract:my-service"));
    assertEquals("localhost", Resolvers.forTarget("unix:/tmp/a.sock", List.of()).authority());
  }

  @ParameterizedTest(name = "[{index}] '{0}'")
  @ValueSource(
      strings = {
        "",
        "host:0",
        "host:65536",
        "host:port",
        "host:-1",
        "::1:443",
        "[::1",
        "[::1]x",
        "ipv4:",
        "ipv4:300.1.1.1:1",
        "ipv4:localhost:1",
        "ipv4:[::1]:1",
        "ipv6:127.0.0.1:1",
        "ipv6:[zz::1]:1",
        "ipv4://x/127.0.0.1:1",
        "unix:",
        "unix://host/path",
        "unix-abstract:",
        "dns://not-an-ip/host:1",
        "dns:///",
        "dns:///bad host:1",
        "http://example.com"
      })
  void badTargetsFailWithTheTargetAndTheAcceptedForms(String target) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Resolvers.forTarget(target, List.of()));
    assertTrue(e.getMessage().contains("'" + target + "'") || target.isEmpty(), e.getMessage());
    assertTrue(e.getMessage().contains(Resolvers.ACCEPTED_FORMS), e.getMessage());
  }

  /** A builder's provider takes its scheme, even one that is installed. */
  @Test
  void aBuildersProviderWinsForItsScheme() throws Exception {
    NameResolverProvider fixed =
        new NameResolverProvider() {
          @Override
          public String scheme() {
            return "dns";
          }

          @Override
          public NameResolver newResolver(TargetUri target, int defaultPort) {
            return new StaticResolver(
                target.path(),
                List.of(
                    Endpoint.of(
                        new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 7))));
          }
        };
    NameResolver r = Resolvers.forTarget("orders.internal:9", List.of(fixed));
    assertEquals("orders.internal:9", r.authority());
    assertEquals(List.of(inet("127.0.0.1", 7)), resolve(r));
  }
}
