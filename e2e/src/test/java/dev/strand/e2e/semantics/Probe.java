package dev.strand.e2e.semantics;

import dev.strand.Marshaller;
import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * "strand.semantics.Probe": one service of raw byte[] messages, described for both Strand and
 * grpc-java. Raw bytes make sizes on the wire exact (a limit test can send 4 MiB + 1) and keep
 * protobuf out of tests about the protocol. Each test writes the handlers it needs.
 */
final class Probe {
  static final String SERVICE = "strand.semantics.Probe";

  /** Strand's marshaller: the bytes are the message. */
  static final Marshaller<byte[]> BYTES =
      new Marshaller<>() {
        @Override
        public int sizeOf(byte[] value) {
          return value.length;
        }

        @Override
        public void write(byte[] value, ByteBuffer target) {
          target.put(value);
        }

        @Override
        public byte[] parse(ByteBuffer source) {
          byte[] b = new byte[source.remaining()];
          source.get(b);
          return b;
        }

        @Override
        public byte[] parse(InputStream source) throws IOException {
          return source.readAllBytes();
        }
      };

  /** grpc-java's marshaller for the same bytes. */
  static final io.grpc.MethodDescriptor.Marshaller<byte[]> G_BYTES =
      new io.grpc.MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  // After the marshallers: static fields initialise in order.
  static final MethodDescriptor<byte[], byte[]> UNARY = strand(MethodType.UNARY, "Unary");
  static final MethodDescriptor<byte[], byte[]> SERVER_STREAM =
      strand(MethodType.SERVER_STREAMING, "ServerStream");
  static final MethodDescriptor<byte[], byte[]> CLIENT_STREAM =
      strand(MethodType.CLIENT_STREAMING, "ClientStream");
  static final MethodDescriptor<byte[], byte[]> BIDI = strand(MethodType.BIDI_STREAMING, "Bidi");

  static final io.grpc.MethodDescriptor<byte[], byte[]> G_UNARY =
      grpc(io.grpc.MethodDescriptor.MethodType.UNARY, "Unary");
  static final io.grpc.MethodDescriptor<byte[], byte[]> G_SERVER_STREAM =
      grpc(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING, "ServerStream");
  static final io.grpc.MethodDescriptor<byte[], byte[]> G_CLIENT_STREAM =
      grpc(io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING, "ClientStream");
  static final io.grpc.MethodDescriptor<byte[], byte[]> G_BIDI =
      grpc(io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING, "Bidi");

  private Probe() {}

  /** A request that asks a handler for {@code n} of something (bytes, messages, ms...). */
  static byte[] ask(int n) {
    return Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
  }

  static int asked(byte[] request) {
    return Integer.parseInt(new String(request, StandardCharsets.US_ASCII));
  }

  static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static <ReqT, RespT> MethodDescriptor<ReqT, RespT> strand(
      MethodType type, String name, Marshaller<ReqT> request, Marshaller<RespT> response) {
    return MethodDescriptor.of(type, MethodDescriptor.fullName(SERVICE, name), request, response);
  }

  private static MethodDescriptor<byte[], byte[]> strand(MethodType type, String name) {
    return strand(type, name, BYTES, BYTES);
  }

  static <ReqT, RespT> io.grpc.MethodDescriptor<ReqT, RespT> grpc(
      io.grpc.MethodDescriptor.MethodType type,
      String name,
      io.grpc.MethodDescriptor.Marshaller<ReqT> request,
      io.grpc.MethodDescriptor.Marshaller<RespT> response) {
    return io.grpc.MethodDescriptor.<ReqT, RespT>newBuilder()
        .setType(type)
        .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(request)
        .setResponseMarshaller(response)
        .build();
  }

  private static io.grpc.MethodDescriptor<byte[], byte[]> grpc(
      io.grpc.MethodDescriptor.MethodType type, String name) {
    return grpc(type, name, G_BYTES, G_BYTES);
  }
}
