package dev.strand.web.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An HTTP/1.1 server on 127.0.0.1 that answers every request with the same bytes and then closes
 * the connection: a broken or hostile server, for the client's bad-input tests.
 */
final class CannedHttpServer implements AutoCloseable {
  private final ServerSocket socket;
  private final Thread acceptor;
  private volatile byte[] response = new byte[0];

  CannedHttpServer() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    acceptor = new Thread(this::acceptAll, "canned-http");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * The next requests get {@code head} (status line and headers, CRLF-separated) and {@code body}.
   */
  void answer(String head, byte[] body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    bytes.writeBytes(body);
    response = bytes.toByteArray();
  }

  String target() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  private void acceptAll() {
    while (!socket.isClosed()) {
      try (Socket connection = socket.accept()) {
        connection.setSoTimeout(10_000);
        readRequest(connection.getInputStream());
        connection.getOutputStream().write(response);
        connection.getOutputStream().flush();
      } catch (IOException closedOrBroken) {
        // the next connection, or the end
      }
    }
  }

  /** Reads the head and a Content-Length body, so the client has sent all before it reads. */
  private static void readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    long length = 0;
    for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Long.parseLong(line.substring("content-length:".length()).trim());
      }
    }
    in.readNBytes((int) length);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    socket.close();
    acceptor.join(5_000);
  }
}
