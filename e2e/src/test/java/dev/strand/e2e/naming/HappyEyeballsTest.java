package dev.strand.e2e.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.Backoff;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * pick_first's first pass is Happy Eyeballs (A61): the first address takes the TCP connection but
 * never speaks HTTP/2 (a server that hangs in the handshake), so after the 250 ms connection
 * attempt delay the channel also tries the second address, whose server answers, and keeps it.
 * Without it, the call would wait for the first attempt's connect timeout (20 s).
 */
@Timeout(30)
class HappyEyeballsTest {

  @Test
  void aHangingFirstAddressDoesNotHoldTheCallBack() throws Exception {
    try (SilentServer silent = new SilentServer("127.0.0.2")) {
      Server answering = Who.serve("127.0.0.3", 0, "127.0.0.3");
      ManagedChannel channel =
          Channel.to("ipv4:127.0.0.2:" + silent.port() + ",127.0.0.3:" + answering.port())
              .plaintext()
              .build();
      try {
        long start = System.nanoTime();
        String who =
            ClientCalls.blockingUnary(
                channel, Who.NAME, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(15)), "who");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("127.0.0.3", who);
        assertTrue(millis >= 240, "the second address only after the delay: " + millis + " ms");
        assertTrue(millis < 5_000, "well before the first attempt's timeout: " + millis + " ms");
        assertEquals(1, silent.connections(), "the first address was tried first, once");
        for (int i = 0; i < 20; i++) {
          assertEquals(
              "127.0.0.3",
              ClientCalls.blockingUnary(
                  channel,
                  Who.NAME,
                  CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)),
                  "who"));
        }
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(Duration.ofSeconds(5));
        answering.shutdownNow();
        answering.awaitTermination(Duration.ofSeconds(5));
      }
    }
  }

  /**
   * An attempt is bounded as a whole by the backoff's minimum connect timeout, not only its TCP
   * connect: against a server that accepts and never answers, a fail-fast call fails with
   * UNAVAILABLE saying so, instead of waiting for its deadline.
   */
  @Test
  void aServerThatNeverAnswersTheHandshakeFailsTheAttempt() throws Exception {
    try (SilentServer silent = new SilentServer("127.0.0.2")) {
      ManagedChannel channel =
          Channel.to("127.0.0.2", silent.port())
              .plaintext()
              .backoff(
                  new Backoff(
                      Duration.ofSeconds(1),
                      1.6,
                      0.2,
                      Duration.ofSeconds(5),
                      Duration.ofMillis(300)))
              .build();
      try {
        StatusException e =
            assertThrows(
                StatusException.class,
                () ->
                    ClientCalls.blockingUnary(
                        channel,
                        Who.NAME,
                        CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(20)),
                        "who"));
        assertEquals(Status.Code.UNAVAILABLE, e.status().code(), e.getMessage());
        assertTrue(e.getMessage().contains("no HTTP/2 SETTINGS"), e.getMessage());
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(Duration.ofSeconds(5));
      }
    }
  }

  /** Accepts connections and keeps them open without a byte: an HTTP/2 handshake that hangs. */
  private static final class SilentServer implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> held = new ArrayList<>();

    SilentServer(String ip) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getByName(ip));
      new Thread(this::hold, "silent-server").start();
    }

    int port() {
      return socket.getLocalPort();
    }

    synchronized int connections() {
      return held.size();
    }

    private void hold() {
      for (int i = 0; i < 100; i++) {
        try {
          Socket s = socket.accept();
          synchronized (this) {
            held.add(s);
          }
        } catch (IOException closed) {
          return;
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
      synchronized (this) {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }
}
