package dev.strand.e2e.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.testing.Utf8Marshaller;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dns://SERVER/name:port} against a real DNS server (dnsmasq) with several A records for
 * servers on distinct loopback addresses: the channel connects to what DNS says, in order, moves to
 * the next address when one is down (pick_first), and reports a name DNS does not know as
 * UNAVAILABLE naming the name. A malformed target fails build() naming the accepted forms.
 */
@Timeout(60)
class DnsTargetTest {
  private static final MethodDescriptor<String, String> WHO =
      MethodDescriptor.of(
          MethodType.UNARY,
          "strand.test.Who/Name",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);
  private static final CallOptions WAIT = CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10));

  @TempDir Path dir;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private Server serve(String ip, int port, String name) throws Exception {
    Server server =
        Server.builder()
            .address(ip, port)
            .service(
                ServiceDefinition.builder("strand.test.Who")
                    .method(WHO, ServerCalls.unary(request -> name))
                    .build())
            .start();
    toClose.add(() -> stop(server));
    return server;
  }

  private static void stop(Server server) throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(Duration.ofSeconds(5));
  }

  private ManagedChannel channel(String target) {
    ManagedChannel channel = Channel.to(target).plaintext().build();
    toClose.add(
        () -> {
          channel.shutdownNow();
          channel.awaitTermination(Duration.ofSeconds(5));
        });
    return channel;
  }

  @Test
  void connectsWhereDnsSaysAndFailsOverToTheNextAddress() throws Exception {
    Server first = serve("127.0.0.2", 0, "first");
    int port = first.port();
    serve("127.0.0.3", port, "second");
    Dnsmasq dns =
        Dnsmasq.start(
            dir, List.of("127.0.0.2 backends.strand.test", "127.0.0.3 backends.strand.test"));
    toClose.add(dns);

    ManagedChannel channel = channel(dns.target("backends.strand.test:" + port));
    assertEquals("backends.strand.test:" + port, channel.authority());
    for (int i = 0; i < 5; i++) {
      assertEquals(
          "first",
          ClientCalls.blockingUnary(channel, WHO, WAIT, "who"),
          "pick_first keeps to the first address DNS gave");
    }

    stop(first);
    // The connection to the first is gone; the next call connects again, and the first address
    // refuses: the channel moves on to the second at once.
    String answer = null;
    for (int i = 0; i < 50 && !"second".equals(answer); i++) {
      try {
        answer = ClientCalls.blockingUnary(channel, WHO, WAIT, "who");
      } catch (StatusException e) {
        // A call that was on the dying connection may fail; later ones must not.
        assertEquals(Status.Code.UNAVAILABLE, e.status().code(), e::toString);
      }
    }
    assertEquals("second", answer);
    for (int i = 0; i < 5; i++) {
      assertEquals("second", ClientCalls.blockingUnary(channel, WHO, WAIT, "who"));
    }
  }

  @Test
  void aNameDnsDoesNotKnowIsUnavailableNamingIt() throws Exception {
    Dnsmasq dns = Dnsmasq.start(dir, List.of("127.0.0.2 backends.strand.test"));
    toClose.add(dns);
    ManagedChannel channel = channel(dns.target("missing.strand.test:443"));
    StatusException e =
        assertThrows(
            StatusException.class, () -> ClientCalls.blockingUnary(channel, WHO, WAIT, "who"));
    assertEquals(Status.Code.UNAVAILABLE, e.status().code(), e::toString);
    assertTrue(e.status().description().contains("missing.strand.test"), e::toString);
  }

  @Test
  void aMalformedTargetFailsBuildNamingTheAcceptedForms() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Channel.to("dns://not-an-ip/backends:1").plaintext().build());
    assertTrue(e.getMessage().contains("'dns://not-an-ip/backends:1'"), e.getMessage());
    assertTrue(e.getMessage().contains("ipv4:ADDR:PORT"), e.getMessage());
  }
}
