package dev.strand.e2e.connections;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback TCP proxy for cleartext HTTP/2 that passes bytes through unchanged and, reading the
 * frame headers as they pass, notes for each connection when the client sent a PING and what
 * GOAWAYs the server sent. It shows what a client's keepalive actually does on the wire.
 */
final class PingCountingProxy implements AutoCloseable {
  private static final int PREFACE_LENGTH = 24;
  private static final int PING = 0x6;
  private static final int GOAWAY = 0x7;
  private static final int ACK = 0x1;

  /** One proxied connection's record. */
  static final class Conn {
    final long openedNanos;
    final List<Long> clientPingNanos = new ArrayList<>(); // guarded by the proxy
    final List<String> serverGoAways = new ArrayList<>(); // guarded by the proxy
    volatile long closedNanos;

    Conn(long openedNanos) {
      this.openedNanos = openedNanos;
    }
  }

  private final int upstreamPort;
  private final ServerSocket listener;
  private final List<Conn> conns = new ArrayList<>(); // guarded by this
  private final List<Socket> sockets = new ArrayList<>(); // guarded by this
  private final Thread acceptor;

  PingCountingProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "ping-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** A copy of the connections so far, oldest first; their ping lists are snapshots too. */
  synchronized List<Conn> connections() {
    List<Conn> copy = new ArrayList<>();
    for (Conn c : conns) {
      Conn s = new Conn(c.openedNanos);
      s.clientPingNanos.addAll(c.clientPingNanos);
      s.serverGoAways.addAll(c.serverGoAways);
      s.closedNanos = c.closedNanos;
      copy.add(s);
    }
    return copy;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort));
        Conn conn = new Conn(System.nanoTime());
        synchronized (this) {
          conns.add(conn);
          sockets.add(client);
          sockets.add(server);
        }
        pump(client, server, conn, true);
        pump(server, client, conn, false);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to, Conn conn, boolean clientToServer) {
    Thread t =
        new Thread(
            () -> {
              try (DataInputStream in = new DataInputStream(from.getInputStream());
                  OutputStream out = to.getOutputStream()) {
                if (clientToServer) {
                  copy(in, out, PREFACE_LENGTH);
                }
                byte[] header = new byte[9];
                while (true) {
                  in.readFully(header);
                  out.write(header);
                  int length =
                      ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
                  int type = header[3] & 0xff;
                  int flags = header[4] & 0xff;
                  byte[] payload = new byte[length];
                  in.readFully(payload);
                  out.write(payload);
                  out.flush();
                  onFrame(conn, clientToServer, type, flags, payload);
                }
              } catch (IOException e) {
                // Either side closed: close both, as a proxy would.
              } finally {
                conn.closedNanos = System.nanoTime();
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "ping-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private synchronized void onFrame(
      Conn conn, boolean clientToServer, int type, int flags, byte[] payload) {
    if (clientToServer && type == PING && (flags & ACK) == 0) {
      conn.clientPingNanos.add(System.nanoTime());
    } else if (!clientToServer && type == GOAWAY && payload.length >= 8) {
      long code =
          ((payload[4] & 0xffL) << 24)
              | ((payload[5] & 0xff) << 16)
              | ((payload[6] & 0xff) << 8)
              | (payload[7] & 0xff);
      conn.serverGoAways.add(
          code + ":" + new String(payload, 8, payload.length - 8, StandardCharsets.US_ASCII));
    }
  }

  private static void copy(InputStream in, OutputStream out, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new IOException("closed in the preface");
    }
    out.write(b);
    out.flush();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    synchronized (this) {
      sockets.forEach(PingCountingProxy::closeQuietly);
    }
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
