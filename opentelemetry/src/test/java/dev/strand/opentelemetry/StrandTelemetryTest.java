package dev.strand.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import dev.strand.testing.EchoService;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The public API's choices: what it installs, and the target it records. */
class StrandTelemetryTest {
  @Test
  void bothOffInstallsNothing() {
    StrandTelemetry off =
        StrandTelemetry.builder(OpenTelemetry.noop()).metrics(false).tracing(false).build();
    assertNull(off.serverTracer());
    assertNull(off.clientTracer("dns:///x:1"));
    StrandTelemetry metricsOnly =
        StrandTelemetry.builder(OpenTelemetry.noop()).tracing(false).build();
    assertNotNull(metricsOnly.serverTracer());
  }

  @Test
  void theTargetGetsItsSchemeAsA66Asks() {
    assertEquals("dns:///localhost:50051", StrandTelemetry.canonicalTarget("localhost:50051"));
    assertEquals("dns:///127.0.0.1:443", StrandTelemetry.canonicalTarget("127.0.0.1:443"));
    assertEquals("dns:///[::1]:443", StrandTelemetry.canonicalTarget("[::1]:443"));
    assertEquals(
        "dns:///example.com:443", StrandTelemetry.canonicalTarget("dns:///example.com:443"));
    assertEquals("unix:/tmp/s.sock", StrandTelemetry.canonicalTarget("unix:/tmp/s.sock"));
    assertEquals("ipv4:10.0.0.1:80", StrandTelemetry.canonicalTarget("ipv4:10.0.0.1:80"));
    assertEquals("etcd://cluster/orders", StrandTelemetry.canonicalTarget("etcd://cluster/orders"));
  }

  @Test
  void aNoopOpenTelemetryMeasuresNothingAndCallsWork() throws Exception {
    StrandTelemetry noop = StrandTelemetry.create(OpenTelemetry.noop());
    try (Server server =
            noop.configure(Server.builder().address("127.0.0.1", 0))
                .service(EchoService.definition())
                .start();
        ManagedChannel channel =
            noop.configure(Channel.to("127.0.0.1", server.port()).plaintext()).build()) {
      assertEquals(
          "echo:a",
          ClientCalls.blockingUnary(
              channel,
              EchoService.UNARY,
              CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
              "a"));
    }
  }
}
