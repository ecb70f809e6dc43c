package dev.strand.web.grpcweb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A bare HTTP/1.1 client on one socket, for the exact bytes: requests written as given (several at
 * once for pipelining), responses read one after another with their chunks kept apart.
 */
public final class Http1Client implements AutoCloseable {
  private static final int TIMEOUT_MILLIS = 10_000;
  private static final int MAX_LINES = 1000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** One response: status, headers (names lower-cased), body, and the chunks it came in. */
  public record Response(
      int status, Map<String, String> headers, byte[] body, List<byte[]> chunks) {
    String header(String name) {
      return headers.get(name);
    }
  }

  public Http1Client(int port) throws IOException {
    this(new Socket(), port);
  }

  /** Over a socket of the caller's (a TLS one, say), not yet connected. */
  Http1Client(Socket socket, int port) throws IOException {
    this.socket = socket;
    socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
    socket.setSoTimeout(TIMEOUT_MILLIS);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** A POST's head with Content-Length set for {@code body}. */
  public static byte[] post(String path, String contentType, byte[] body, String... extraHeaders) {
    StringBuilder head =
        new StringBuilder("POST /" + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            .append("Content-Type: ")
            .append(contentType)
            .append("\r\nContent-Length: ")
            .append(body.length)
            .append("\r\n");
    for (String header : extraHeaders) {
      head.append(header).append("\r\n");
    }
    byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
    return request;
  }

  public void write(byte[]... requests) throws IOException {
    for (byte[] request : requests) {
      out.write(request);
    }
    out.flush();
  }

  /** The next response; chunked or sized. */
  public Response read() throws IOException {
    String statusLine = line();
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = headers();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    List<byte[]> chunks = new ArrayList<>();
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int i = 0; i < 100_000; i++) {
        int size = Integer.parseInt(line().split(";")[0].trim(), 16);
        if (size == 0) {
          headers.putAll(headers()); // the trailers, if any
          break;
        }
        byte[] chunk = in.readNBytes(size);
        line(); // the CRLF after the chunk
        chunks.add(chunk);
        body.writeBytes(chunk);
      }
    } else {
      String length = headers.get("content-length");
      body.writeBytes(in.readNBytes(length == null ? 0 : Integer.parseInt(length)));
    }
    return new Response(status, headers, body.toByteArray(), chunks);
  }

  /** True once the server has closed the connection (the next read finds the end). */
  public boolean closedByServer() throws IOException {
    return in.read() == -1;
  }

  private Map<String, String> headers() throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < MAX_LINES; i++) {
      String line = line();
      if (line.isEmpty()) {
        return headers;
      }
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    throw new IOException("too many header lines");
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int i = 0; i < 64 * 1024; i++) {
      int b = in.read();
      if (b == -1) {
        throw new IOException("connection closed mid-line: " + line);
      }
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
    throw new IOException("line too long");
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
