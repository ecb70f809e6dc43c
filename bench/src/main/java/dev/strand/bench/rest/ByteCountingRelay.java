package dev.strand.bench.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback in front of one server that counts the bytes going each way: what the
 * client and the server really put on the wire (TCP payload: HTTP/2 frames or HTTP/1.1 messages,
 * headers, preface and settings included; not TCP/IP headers), measured at neither end's own
 * say-so. Used only for fixed-count runs, never for timing: the relay adds a hop.
 */
final class ByteCountingRelay implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final AtomicLong clientToServer = new AtomicLong();
  private final AtomicLong serverToClient = new AtomicLong();
  private final AtomicInteger openPipes = new AtomicInteger();

  ByteCountingRelay(int targetPort) throws IOException {
    this.targetPort = targetPort;
    listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    daemon("relay-accept", this::acceptLoop);
  }

  int port() {
    return listener.getLocalPort();
  }

  long clientToServer() {
    return clientToServer.get();
  }

  long serverToClient() {
    return serverToClient.get();
  }

  void reset() {
    clientToServer.set(0);
    serverToClient.set(0);
  }

  /** Waits until every relayed connection has closed both ways, so the counts are final. */
  void awaitIdle(long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (openPipes.get() > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        // Both sockets close when both directions have ended, whichever ends last.
        AtomicInteger directions = new AtomicInteger(2);
        pipe(client, server, clientToServer, directions);
        pipe(server, client, serverToClient, directions);
      } catch (IOException e) {
        // closed, or one connection failed: the run it belongs to will say so
      }
    }
  }

  private void pipe(Socket from, Socket to, AtomicLong counter, AtomicInteger directions) {
    openPipes.incrementAndGet();
    daemon(
        "relay-pipe",
        () -> {
          byte[] buf = new byte[64 * 1024];
          try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
              counter.addAndGet(n);
              out.write(buf, 0, n);
            }
            to.shutdownOutput(); // pass the half-close on, as a direct connection would
          } catch (IOException e) {
            directions.set(1); // a reset: end the other direction too
          } finally {
            if (directions.decrementAndGet() <= 0) {
              closeQuietly(from);
              closeQuietly(to);
            }
            openPipes.decrementAndGet();
          }
        });
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
