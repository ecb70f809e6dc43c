package dev.strand.web.browser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The test page's origin: a tiny static HTTP/1.1 server on loopback, apart from the Strand server,
 * so the page's calls are cross-origin. Serves a fixed set of files by name, each response with
 * {@code Connection: close}; a connection per thread, since Chromium opens some it sends nothing
 * on.
 */
final class PageServer implements AutoCloseable {
  private static final int SOCKET_TIMEOUT_MILLIS = 10_000;

  private final ServerSocket socket;
  private final Map<String, Path> files;
  private final ExecutorService connections = Executors.newCachedThreadPool();
  private final Thread acceptor;

  /** {@code files}: by URL path ("/index.html"), read when asked for (they may come later). */
  PageServer(Map<String, Path> files) throws IOException {
    this.files = Map.copyOf(files);
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptAll, "page-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  private void acceptAll() {
    // Ends when close() closes the socket.
    while (!socket.isClosed()) {
      try {
        Socket connection = socket.accept();
        connections.execute(() -> serve(connection));
      } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
        return;
      }
    }
  }

  private void serve(Socket connection) {
    try (connection) {
      connection.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(connection.getInputStream(), StandardCharsets.ISO_8859_1));
      String requestLine = in.readLine();
      if (requestLine == null) {
        return;
      }
      // The head is read to its end; a GET has no body.
      for (int i = 0; i < 200; i++) {
        String line = in.readLine();
        if (line == null || line.isEmpty()) {
          break;
        }
      }
      String[] parts = requestLine.split(" ");
      Path file = parts.length > 1 ? files.get(parts[1].split("\\?")[0]) : null;
      OutputStream out = connection.getOutputStream();
      if (file == null || !Files.exists(file)) {
        respond(
            out, "404 Not Found", "text/plain", "no such file\n".getBytes(StandardCharsets.UTF_8));
      } else {
        respond(out, "200 OK", contentType(file), Files.readAllBytes(file));
      }
    } catch (IOException e) {
      // The browser went away, or sent nothing: nothing to answer.
    }
  }

  private static void respond(OutputStream out, String status, String type, byte[] body)
      throws IOException {
    String head =
        "HTTP/1.1 "
            + status
            + "\r\nContent-Type: "
            + type
            + "\r\nContent-Length: "
            + body.length
            + "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  private static String contentType(Path file) {
    String name = file.getFileName().toString();
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    return name.endsWith(".js") ? "text/javascript; charset=utf-8" : "application/octet-stream";
  }

  @Override
  public void close() throws Exception {
    socket.close();
    acceptor.join(SOCKET_TIMEOUT_MILLIS);
    connections.shutdownNow();
    connections.awaitTermination(SOCKET_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
  }
}
