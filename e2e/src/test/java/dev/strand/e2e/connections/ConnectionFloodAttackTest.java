package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Too many connections: every accepted connection costs a socket, a channel and an HTTP/2 handler
 * before it has sent a byte. ServerBuilder.maxConnections(N) (default 10,000) closes connections
 * beyond N as they arrive; the ones already open, like the bystander's, are not disturbed, and
 * closed connections free their slots.
 */
@Timeout(30)
class ConnectionFloodAttackTest {
  private static final int MAX_CONNECTIONS = 8;
  private static final int ATTACKERS = 40;

  @Test
  void connectionsBeyondTheLimitAreRefused() throws Exception {
    try (AttackScene scene = AttackScene.start(b -> b.maxConnections(MAX_CONNECTIONS))) {
      // Plain sockets, all opened before any is looked at, so they arrive together.
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < ATTACKERS; i++) {
          Socket s = new Socket();
          s.connect(new InetSocketAddress("127.0.0.1", scene.port()), 2_000);
          s.setSoTimeout(2_000);
          sockets.add(s);
        }
        // Each speaks first, as HTTP/2 clients do (the port also serves HTTP/1.1, so the server
        // waits for a client's first bytes before it sends its SETTINGS); a refused one is closed.
        byte[] preface = new byte[Http2CodecUtil.connectionPrefaceBuf().readableBytes()];
        Http2CodecUtil.connectionPrefaceBuf().getBytes(0, preface);
        for (Socket s : sockets) {
          try {
            s.getOutputStream().write(preface);
          } catch (IOException refusedAlready) {
            // Closed by the server: heardSettings says so below.
          }
        }
        // An accepted connection hears the server's SETTINGS; a refused one hears EOF.
        int accepted = 0;
        int refused = 0;
        for (Socket s : sockets) {
          if (heardSettings(s)) {
            accepted++;
          } else {
            refused++;
          }
        }
        System.out.println(
            "[attack] connection flood: "
                + accepted
                + " accepted, "
                + refused
                + " refused (limit "
                + MAX_CONNECTIONS
                + ", one held by the good client)");
        assertEquals(ATTACKERS, accepted + refused);
        assertTrue(
            accepted <= MAX_CONNECTIONS - 1,
            accepted + " attacker connections accepted past the limit of " + MAX_CONNECTIONS);
        assertTrue(accepted >= 1, "no attacker connection was accepted at all");
        scene.assertContained("connection flood", 20);
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
      }
      // The slots come back: a new client can connect once the server has seen the attackers
      // go (their FINs are read asynchronously, so allow it a moment).
      ManagedChannel fresh = GrpcJavaEcho.channel(scene.port()).build();
      try {
        String reply = null;
        for (int i = 0; i < 30 && reply == null; i++) {
          try {
            reply = GrpcJavaEcho.unary(fresh, "again", Duration.ofSeconds(5));
          } catch (StatusRuntimeException e) {
            Thread.sleep(100);
          }
        }
        assertEquals("echo:again", reply);
      } finally {
        GrpcJavaEcho.close(fresh);
      }
    }
  }

  /** Reads the start of what the server sent: a SETTINGS frame header, or nothing. */
  private static boolean heardSettings(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    byte[] header = new byte[9];
    try {
      int n = in.readNBytes(header, 0, 9);
      return n == 9 && header[3] == 0x4;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return false; // reset: refused as well
    }
  }
}
