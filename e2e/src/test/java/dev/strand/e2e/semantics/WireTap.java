package dev.strand.e2e.semantics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A cleartext HTTP/2 proxy on loopback that records what passes between a client and a server:
 * frame types and flags, decoded header blocks (grpc-timeout, grpc-encoding...), RST_STREAM and
 * GOAWAY codes, SETTINGS, and the 5-byte prefix of every gRPC message (compressed flag, length). It
 * is how these tests see the wire without trusting either peer's own report.
 *
 * <p>It can also misbehave on purpose: drop chosen frames (say, the client's RST_STREAM, so only
 * the server's own deadline can end a call), hold some back as a slow network would, or cut every
 * connection at once.
 */
final class WireTap implements AutoCloseable {
  enum Direction {
    TO_SERVER,
    TO_CLIENT
  }

  static final int DATA = 0;
  static final int HEADERS = 1;
  static final int RST_STREAM = 3;
  static final int SETTINGS = 4;
  static final int GOAWAY = 7;
  static final int CONTINUATION = 9;
  static final int SETTINGS_MAX_CONCURRENT_STREAMS = 3;
  static final int SETTINGS_MAX_HEADER_LIST_SIZE = 6;
  private static final int END_STREAM = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final int PADDED = 0x8;
  private static final int PRIORITY = 0x20;
  private static final int PREFACE_LENGTH = 24;

  /** One frame; {@code headers} for a complete header block, {@code errorCode} for RST/GOAWAY. */
  record Frame(
      Direction direction,
      int type,
      int flags,
      int streamId,
      Http2Headers headers,
      long errorCode,
      Map<Integer, Long> settings) {
    boolean endStream() {
      return (flags & END_STREAM) != 0 && (type == DATA || type == HEADERS);
    }

    String header(String name) {
      CharSequence v = headers == null ? null : headers.get(name);
      return v == null ? null : v.toString();
    }
  }

  /** The prefix of one gRPC message on a stream. */
  record Message(Direction direction, int streamId, boolean compressed, long length) {}

  private final ServerSocket listener;
  private final int targetPort;
  private final List<Frame> frames = new ArrayList<>();
  private final List<Message> messages = new ArrayList<>();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile Predicate<Frame> drop = f -> false;
  private volatile Predicate<Frame> delay = f -> false;
  private volatile long delayMillis;

  private WireTap(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getByName(Peers.HOST));
    daemon("wiretap-accept", this::acceptLoop).start();
  }

  /** A tap in front of a server on {@code targetPort}; point the client at {@link #port()}. */
  static WireTap to(int targetPort) throws IOException {
    return new WireTap(targetPort);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Frames matching this are recorded but not forwarded. */
  void dropFrames(Predicate<Frame> predicate) {
    this.drop = predicate;
  }

  /** Frames matching this are held for {@code millis} before they go on, like a slow network. */
  void delayFrames(Predicate<Frame> predicate, long millis) {
    this.delayMillis = millis;
    this.delay = predicate;
  }

  synchronized List<Frame> frames() {
    return new ArrayList<>(frames);
  }

  List<Frame> frames(Direction direction, int type) {
    return frames().stream().filter(f -> f.direction() == direction && f.type() == type).toList();
  }

  synchronized List<Message> messages(Direction direction) {
    return messages.stream().filter(m -> m.direction() == direction).toList();
  }

  /** One call as the wire saw it: request and response heads, and each side's messages. */
  record Exchange(
      int streamId,
      Frame request,
      Frame response,
      List<Message> requestMessages,
      List<Message> responseMessages) {
    /** The compressed flag of each message one side sent, in order. */
    static List<Boolean> flags(List<Message> messages) {
      return messages.stream().map(Message::compressed).toList();
    }
  }

  /** The most recent call's exchange (the highest stream id a request head was seen for). */
  Exchange lastExchange() {
    List<Frame> all = frames();
    int stream =
        all.stream()
            .filter(f -> f.type() == HEADERS && f.direction() == Direction.TO_SERVER)
            .mapToInt(Frame::streamId)
            .max()
            .orElseThrow(() -> new AssertionError("no calls seen"));
    Frame request = null;
    Frame response = null;
    for (Frame f : all) {
      if (f.type() == HEADERS && f.streamId() == stream) {
        if (f.direction() == Direction.TO_SERVER && request == null) {
          request = f;
        } else if (f.direction() == Direction.TO_CLIENT && response == null) {
          response = f;
        }
      }
    }
    return new Exchange(
        stream,
        request,
        response,
        messages(Direction.TO_SERVER).stream().filter(m -> m.streamId() == stream).toList(),
        messages(Direction.TO_CLIENT).stream().filter(m -> m.streamId() == stream).toList());
  }

  /** Waits (up to {@code timeoutMillis}) for a frame matching {@code wanted}. */
  synchronized Frame await(Predicate<Frame> wanted, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      for (Frame f : frames) {
        if (wanted.test(f)) {
          return f;
        }
      }
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new AssertionError("no such frame within " + timeoutMillis + " ms; saw " + frames);
      }
      wait(left);
    }
  }

  /** Resets every connection through the tap at once, as a dead network path would. */
  void cutConnections() {
    for (Socket s : sockets) {
      try {
        s.setSoLinger(true, 0);
        s.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    cutConnections();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(Peers.HOST, targetPort);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(server);
        daemon("wiretap-up", () -> pump(client, server, Direction.TO_SERVER)).start();
        daemon("wiretap-down", () -> pump(server, client, Direction.TO_CLIENT)).start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to, Direction direction) {
    Decoder decoder = new Decoder(direction);
    try (DataInputStream in = new DataInputStream(from.getInputStream())) {
      OutputStream out = to.getOutputStream();
      if (direction == Direction.TO_SERVER) {
        out.write(readFully(in, PREFACE_LENGTH));
      }
      byte[] head = new byte[9];
      while (true) {
        in.readFully(head);
        int length = ((head[0] & 0xff) << 16) | ((head[1] & 0xff) << 8) | (head[2] & 0xff);
        byte[] payload = readFully(in, length);
        Frame frame =
            decoder.decode(
                head[3] & 0xff,
                head[4] & 0xff,
                ((head[5] & 0x7f) << 24)
                    | ((head[6] & 0xff) << 16)
                    | ((head[7] & 0xff) << 8)
                    | (head[8] & 0xff),
                payload);
        if (frame != null && drop.test(frame)) {
          continue;
        }
        if (frame != null && delay.test(frame)) {
          sleep(delayMillis);
        }
        byte[] whole = new byte[9 + length];
        System.arraycopy(head, 0, whole, 0, 9);
        System.arraycopy(payload, 0, whole, 9, length);
        out.write(whole);
        out.flush();
      }
    } catch (IOException e) {
      // One side went away: take the other down with it, as TCP through a proxy would.
      closeQuietly(to);
      closeQuietly(from);
    }
  }

  private static byte[] readFully(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new EOFException();
    }
    return b;
  }

  private synchronized void record(Frame frame) {
    frames.add(frame);
    notifyAll();
  }

  private synchronized void record(Message message) {
    messages.add(message);
  }

  /** Per-direction decoding state: HPACK context, a header block in progress, message prefixes. */
  private final class Decoder {
    private final Direction direction;
    private final DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(false, 1 << 20);
    private final ByteArrayOutputStream block = new ByteArrayOutputStream();
    private final Map<Integer, long[]> messageState = new HashMap<>();
    private int blockFlags;

    Decoder(Direction direction) {
      this.direction = direction;
      try {
        hpack.configuration().maxHeaderTableSize(1 << 20);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    /** The frame to record and judge, or null for a part of a header block still incomplete. */
    Frame decode(int type, int flags, int streamId, byte[] p) {
      switch (type) {
        case DATA -> {
          int pad = (flags & PADDED) != 0 ? (p[0] & 0xff) + 1 : 0;
          messages(streamId, p, (flags & PADDED) != 0 ? 1 : 0, p.length - pad);
          return recorded(new Frame(direction, type, flags, streamId, null, -1, null));
        }
        case HEADERS -> {
          int start = (flags & PADDED) != 0 ? 1 : 0;
          int pad = (flags & PADDED) != 0 ? p[0] & 0xff : 0;
          start += (flags & PRIORITY) != 0 ? 5 : 0;
          block.reset();
          block.write(p, start, p.length - start - pad);
          blockFlags = flags;
          return (flags & END_HEADERS) != 0 ? headers(streamId) : null;
        }
        case CONTINUATION -> {
          block.write(p, 0, p.length);
          return (flags & END_HEADERS) != 0 ? headers(streamId) : null;
        }
        case RST_STREAM, GOAWAY -> {
          int at = type == GOAWAY ? 4 : 0;
          long code =
              ((long) (p[at] & 0xff) << 24)
                  | ((p[at + 1] & 0xff) << 16)
                  | ((p[at + 2] & 0xff) << 8)
                  | (p[at + 3] & 0xff);
          return recorded(new Frame(direction, type, flags, streamId, null, code, null));
        }
        case SETTINGS -> {
          Map<Integer, Long> settings = new LinkedHashMap<>();
          for (int i = 0; i + 6 <= p.length; i += 6) {
            settings.put(
                ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff),
                ((long) (p[i + 2] & 0xff) << 24)
                    | ((p[i + 3] & 0xff) << 16)
                    | ((p[i + 4] & 0xff) << 8)
                    | (p[i + 5] & 0xff));
          }
          return recorded(new Frame(direction, type, flags, streamId, null, -1, settings));
        }
        default -> {
          return recorded(new Frame(direction, type, flags, streamId, null, -1, null));
        }
      }
    }

    private Frame headers(int streamId) {
      ByteBuf buf = Unpooled.wrappedBuffer(block.toByteArray());
      Http2Headers decoded;
      try {
        decoded = hpack.decodeHeaders(streamId, buf);
      } catch (Exception e) {
        // Keep forwarding: the peers must not suffer for the tap's own limits.
        decoded = null;
        System.err.println("wiretap could not decode a header block: " + e);
      } finally {
        buf.release();
      }
      return recorded(new Frame(direction, HEADERS, blockFlags, streamId, decoded, -1, null));
    }

    private Frame recorded(Frame f) {
      record(f);
      return f;
    }

    /**
     * Follows the 5-byte prefixes through the DATA of one stream: state is {prefix bytes seen,
     * flag, length so far, body bytes left}.
     */
    private void messages(int streamId, byte[] p, int from, int to) {
      long[] s = messageState.computeIfAbsent(streamId, id -> new long[4]);
      int i = from;
      while (i < to) {
        if (s[3] > 0) {
          int n = (int) Math.min(s[3], to - i);
          s[3] -= n;
          i += n;
          continue;
        }
        int b = p[i++] & 0xff;
        if (s[0] == 0) {
          s[1] = b;
          s[2] = 0;
        } else {
          s[2] = (s[2] << 8) | b;
        }
        if (++s[0] == 5) {
          record(new Message(direction, streamId, s[1] == 1, s[2]));
          s[0] = 0;
          s[3] = s[2];
        }
      }
    }
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
