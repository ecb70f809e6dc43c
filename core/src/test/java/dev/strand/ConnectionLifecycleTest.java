package dev.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.StreamSource;
import dev.strand.testing.EchoService;
import dev.strand.testing.HeldEcho;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectionLifecycleTest {

  @Test
  void clientThatPingsTooOftenIsToldTooManyPingsAndBacksOff() throws Exception {
    try (Server server =
            Server.builder()
                .address("127.0.0.1", 0)
                .permitKeepAlive(Duration.ofMinutes(5), true)
                .service(EchoService.definition())
                .start();
        ManagedChannel channel =
            Channel.to("127.0.0.1", server.port())
                .plaintext()
                .keepAlive(Duration.ofMillis(100), Duration.ofSeconds(5), true)
                .build()) {
      assertEquals(
          "echo:x",
          ClientCalls.blockingUnary(channel, EchoService.UNARY, CallOptions.DEFAULT, "x"));
      // Three pings 100 ms apart are two too many for a 5-minute minimum: GOAWAY follows.
      CountDownLatch lostReady = new CountDownLatch(1);
      channel.notifyWhenStateChanged(ConnectivityState.READY, lostReady::countDown);
      assertTrue(lostReady.await(5, TimeUnit.SECONDS), "server did not cut the pinging client off");
      // The channel carries on: a new connection for the next call.
      assertEquals(
          "echo:y",
          ClientCalls.blockingUnary(channel, EchoService.UNARY, CallOptions.DEFAULT, "y"));
    }
  }

  @Test
  void maxConnectionAgeMovesClientsToANewConnectionWithoutFailingCalls() throws Exception {
    try (Server server =
            Server.builder()
                .address("127.0.0.1", 0)
                .maxConnectionAge(Duration.ofMillis(300), Duration.ofSeconds(10))
                .service(EchoService.definition())
                .start();
        ManagedChannel channel = Channel.to("127.0.0.1", server.port()).plaintext().build()) {
      // A slow call spans the age limit: it must finish on the old connection.
      try (StreamSource<String> slow =
          ClientCalls.serverStream(
              channel, EchoService.SERVER_STREAM, CallOptions.DEFAULT, "3:slow")) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        int ok = 0;
        while (System.nanoTime() < deadline) {
          assertEquals(
              "echo:" + ok,
              ClientCalls.blockingUnary(
                  channel, EchoService.UNARY, CallOptions.DEFAULT, Integer.toString(ok)));
          ok++;
          Thread.sleep(20);
        }
        assertTrue(ok > 10);
        int n = 0;
        for (String unused : slow) {
          n++;
        }
        assertEquals(3, n);
      }
    }
  }

  @Test
  void idleConnectionsAreClosedAndReopenedOnDemand() throws Exception {
    try (Server server =
            Server.builder()
                .address("127.0.0.1", 0)
                .maxConnectionIdle(Duration.ofMillis(200))
                .service(EchoService.definition())
                .start();
        ManagedChannel channel = Channel.to("127.0.0.1", server.port()).plaintext().build()) {
      assertEquals(
          "echo:a",
          ClientCalls.blockingUnary(channel, EchoService.UNARY, CallOptions.DEFAULT, "a"));
      CountDownLatch idle = new CountDownLatch(1);
      channel.notifyWhenStateChanged(ConnectivityState.READY, idle::countDown);
      assertTrue(idle.await(5, TimeUnit.SECONDS), "idle connection was not closed");
      assertEquals(
          "echo:b",
          ClientCalls.blockingUnary(channel, EchoService.UNARY, CallOptions.DEFAULT, "b"));
    }
  }

  @Test
  void connectionThatNeverSendsAPrefaceIsClosed() throws Exception {
    try (Server server =
            Server.builder()
                .address("127.0.0.1", 0)
                .handshakeTimeout(Duration.ofMillis(300))
                .service(EchoService.definition())
                .start();
        Socket silent = new Socket()) {
      silent.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
      silent.setSoTimeout(5000);
      InputStream in = silent.getInputStream();
      long start = System.nanoTime();
      // The server's SETTINGS may arrive first; then the close (read returns -1).
      while (in.read() != -1) {
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
      }
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 4000);
    }
  }

  @Test
  void connectionsBeyondTheLimitAreRefused() throws Exception {
    try (Server server =
            Server.builder()
                .address("127.0.0.1", 0)
                .maxConnections(1)
                .service(EchoService.definition())
                .start();
        ManagedChannel first = Channel.to("127.0.0.1", server.port()).plaintext().build();
        Socket second = new Socket()) {
      assertEquals(
          "echo:1", ClientCalls.blockingUnary(first, EchoService.UNARY, CallOptions.DEFAULT, "1"));
      second.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
      second.setSoTimeout(5000);
      assertEquals(-1, second.getInputStream().read(), "second connection should be closed");
      assertEquals(
          "echo:2", ClientCalls.blockingUnary(first, EchoService.UNARY, CallOptions.DEFAULT, "2"));
    }
  }

  @Test
  void gracefulShutdownLetsCallsInFlightFinish() throws Exception {
    HeldEcho held = new HeldEcho();
    Server server = Server.builder().address("127.0.0.1", 0).service(held.definition()).start();
    try (ManagedChannel channel = Channel.to("127.0.0.1", server.port()).plaintext().build()) {
      var slow = ClientCalls.futureUnary(channel, EchoService.UNARY, CallOptions.DEFAULT, "hold");
      held.awaitStarted(1); // the call is in its handler, and stays there until released
      server.shutdown();
      // Released only once the client has the GOAWAY and a new call is refused: shutdown has
      // reached the connection while the call is still in its handler.
      CountDownLatch goneAway = new CountDownLatch(1);
      channel.notifyWhenStateChanged(ConnectivityState.READY, goneAway::countDown);
      assertTrue(goneAway.await(5, TimeUnit.SECONDS), "the client never saw the GOAWAY");
      StatusException late =
          assertThrows(
              StatusException.class,
              () ->
                  ClientCalls.blockingUnary(
                      channel,
                      EchoService.UNARY,
                      CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(2)),
                      "x"));
      assertEquals(Status.Code.UNAVAILABLE, late.code(), late.toString());
      held.release();
      assertEquals("echo:hold", slow.get(5, TimeUnit.SECONDS));
      assertTrue(server.awaitTermination(Duration.ofSeconds(5)));
    } finally {
      held.release();
      server.shutdownNow();
    }
  }
}
