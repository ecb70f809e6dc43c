package dev.strand.internal.client;

import dev.strand.Marshaller;
import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.Status;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One {@code grpc.health.v1.Health/Watch} call on one connection (A17), as a subchannel's health
 * check. The two messages are written and read here by hand, field 1 each, so core needs no
 * protobuf runtime: {@code HealthCheckRequest {string service = 1;}} and {@code HealthCheckResponse
 * {ServingStatus status = 1;}}.
 */
public interface HealthWatch {

  /** grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING. */
  int SERVING = 1;

  /** Ends the watch; its listener hears nothing more. */
  void cancel();

  /** What the server says, on the connection's event loop. */
  interface Listener {
    /** A status the server sent: {@link #SERVING} or another (NOT_SERVING, SERVICE_UNKNOWN...). */
    void onServingStatus(int status);

    /** The watch ended: UNIMPLEMENTED if the server has no health service. */
    void onClose(Status status);
  }

  /** The Watch method, with the two messages' codecs. */
  MethodDescriptor<String, Integer> WATCH =
      MethodDescriptor.of(
          MethodType.SERVER_STREAMING,
          "grpc.health.v1.Health/Watch",
          new RequestMarshaller(),
          new ResponseMarshaller());

  /** HealthCheckRequest: field 1 (length-delimited), the service name, when not empty. */
  final class RequestMarshaller implements Marshaller<String> {
    @Override
    public int sizeOf(String service) {
      int n = service.getBytes(StandardCharsets.UTF_8).length;
      return n == 0 ? 0 : 1 + varintSize(n) + n;
    }

    @Override
    public void write(String service, ByteBuffer target) {
      byte[] bytes = service.getBytes(StandardCharsets.UTF_8);
      if (bytes.length == 0) {
        return;
      }
      target.put((byte) 0x0A);
      for (int v = bytes.length; ; v >>>= 7) {
        if ((v & ~0x7F) == 0) {
          target.put((byte) v);
          break;
        }
        target.put((byte) ((v & 0x7F) | 0x80));
      }
      target.put(bytes);
    }

    @Override
    public String parse(ByteBuffer source) {
      throw new UnsupportedOperationException("a client never parses a HealthCheckRequest");
    }

    @Override
    public String parse(InputStream source) {
      throw new UnsupportedOperationException("a client never parses a HealthCheckRequest");
    }

    private static int varintSize(int v) {
      int size = 1;
      while ((v & ~0x7F) != 0) {
        v >>>= 7;
        size++;
      }
      return size;
    }
  }

  /** HealthCheckResponse: the varint of field 1; other fields skipped; absent means UNKNOWN (0). */
  final class ResponseMarshaller implements Marshaller<Integer> {
    @Override
    public int sizeOf(Integer value) {
      throw new UnsupportedOperationException("a client never writes a HealthCheckResponse");
    }

    @Override
    public void write(Integer value, ByteBuffer target) {
      throw new UnsupportedOperationException("a client never writes a HealthCheckResponse");
    }

    @Override
    public Integer parse(ByteBuffer source) throws IOException {
      int status = 0;
      while (source.hasRemaining()) {
        long tag = readVarint(source);
        int field = (int) (tag >>> 3);
        switch ((int) (tag & 7)) {
          case 0 -> {
            long value = readVarint(source);
            if (field == 1) {
              status = (int) value;
            }
          }
          case 1 -> skip(source, 8);
          case 2 -> skip(source, (int) readVarint(source));
          case 5 -> skip(source, 4);
          default -> throw new IOException("bad wire type in a HealthCheckResponse: " + tag);
        }
      }
      return status;
    }

    @Override
    public Integer parse(InputStream source) throws IOException {
      return parse(ByteBuffer.wrap(source.readAllBytes()));
    }

    private static long readVarint(ByteBuffer in) throws IOException {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (!in.hasRemaining()) {
          throw new IOException("truncated HealthCheckResponse");
        }
        byte b = in.get();
        value |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw new IOException("varint too long in a HealthCheckResponse");
    }

    private static void skip(ByteBuffer in, int n) throws IOException {
      if (n < 0 || n > in.remaining()) {
        throw new IOException("truncated HealthCheckResponse");
      }
      in.position(in.position() + n);
    }
  }
}
