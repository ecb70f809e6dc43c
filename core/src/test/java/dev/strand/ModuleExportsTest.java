package dev.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * strand-core's module-info exports the API and the SPI and nothing else to applications: the
 * engine and the transport stay out of reach of a modular application (only strand-web, Strand's
 * own protocol module, reads the server stream seam), and the transport is found as a service. Read
 * from the compiled module-info, as a modular application would see it.
 */
class ModuleExportsTest {
  private static final Set<String> EXPORTED =
      Set.of(
          "dev.strand",
          "dev.strand.client",
          "dev.strand.interceptor",
          "dev.strand.server",
          "dev.strand.stub",
          "dev.strand.wire",
          "dev.strand.spi");

  private static ModuleDescriptor core() throws Exception {
    Path classes =
        Path.of(Status.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return ModuleFinder.of(classes).find("dev.strand.core").orElseThrow().descriptor();
  }

  @Test
  void exportsTheApiAndSpiOnly() throws Exception {
    ModuleDescriptor core = core();
    Set<String> exported =
        core.exports().stream()
            .filter(e -> !e.isQualified())
            .map(ModuleDescriptor.Exports::source)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(EXPORTED), exported);
    assertTrue(core.opens().isEmpty(), "nothing is opened to reflection");
    Set<String> hidden = new TreeSet<>(core.packages());
    hidden.removeAll(exported);
    assertTrue(
        hidden.containsAll(
            Set.of(
                "dev.strand.internal.call",
                "dev.strand.internal.client",
                "dev.strand.internal.wire",
                "dev.strand.netty",
                "dev.strand.netty.grpc",
                "dev.strand.netty.stream")),
        "hidden: " + hidden);
    assertTrue(
        hidden.stream()
            .allMatch(p -> p.startsWith("dev.strand.internal") || p.startsWith("dev.strand.netty")),
        "only internals are hidden: " + hidden);
  }

  /** Strand's own protocol module reads the seam and the gRPC engine; no other module does. */
  @Test
  void exportsTheServerStreamSeamToStrandWebOnly() throws Exception {
    Set<String> qualified = new TreeSet<>();
    for (ModuleDescriptor.Exports export : core().exports()) {
      if (export.isQualified()) {
        assertEquals(Set.of("dev.strand.web"), export.targets(), export::toString);
        qualified.add(export.source());
      }
    }
    assertEquals(
        Set.of(
            "dev.strand.internal.json",
            "dev.strand.internal.wire",
            "dev.strand.netty.grpc",
            "dev.strand.netty.headers",
            "dev.strand.netty.loop",
            "dev.strand.netty.stream"),
        qualified);
  }

  @Test
  void providesTheNettyTransportAndTheDnsResolverAsServices() throws Exception {
    ModuleDescriptor core = core();
    Set<String> provided =
        core.provides().stream()
            .map(p -> p.service() + " <- " + String.join(",", p.providers()))
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(
        Set.of(
            "dev.strand.client.ChannelTransport <- dev.strand.netty.NettyTransport$ForChannels",
            "dev.strand.server.ServerTransport <- dev.strand.netty.NettyTransport$ForServers",
            "dev.strand.spi.NameResolverProvider <- dev.strand.netty.dns.DnsResolverProvider"),
        provided);
    assertTrue(
        core.uses()
            .containsAll(
                Set.of(
                    "dev.strand.server.ServerTransport",
                    "dev.strand.client.ChannelTransport",
                    "dev.strand.spi.NameResolverProvider")),
        "uses: " + core.uses());
  }
}
