package dev.strand.bench.jmh;

import dev.strand.bench.Payloads;
import dev.strand.protobuf.ProtoMarshaller;
import io.grpc.Drainable;
import io.grpc.MethodDescriptor;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.internal.ReadableBuffers;
import io.grpc.netty.shaded.io.grpc.netty.GrpcJavaInternals;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.protobuf.ProtoUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Protobuf marshalling as each framework does it. Strand: {@code ProtoMarshaller} sizes the message
 * and writes it straight into the transport's (direct) buffer; to parse, the transport copies the
 * received off-heap bytes once into a per-thread array it reuses (MessageReader), and the
 * marshaller parses that array in place. grpc-java: {@code ProtoUtils.marshaller}'s stream drained
 * into the transport's buffer, and parsed from the InputStream its deframer opens over the received
 * Netty buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MarshallingBenchmark {
  @Param({"100", "4096"})
  public int size;

  private SimpleRequest message;
  private ProtoMarshaller<SimpleRequest> strand;
  private MethodDescriptor.Marshaller<SimpleRequest> grpcJava;
  private ByteBuffer target;
  private ByteBufferOutputStream targetStream;
  private ByteBuffer serialized;
  private byte[] scratch;

  @Setup
  public void setup() {
    message = Payloads.request(size, size);
    strand = ProtoMarshaller.of(SimpleRequest.getDefaultInstance());
    grpcJava = ProtoUtils.marshaller(SimpleRequest.getDefaultInstance());
    target = ByteBuffer.allocateDirect(size + 64);
    targetStream = new ByteBufferOutputStream(target);
    byte[] bytes = message.toByteArray();
    serialized = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    scratch = new byte[bytes.length];
  }

  @Benchmark
  public int strandSerialize() throws IOException {
    target.clear();
    int n = strand.sizeOf(message);
    target.limit(n);
    strand.write(message, target);
    return target.position();
  }

  @Benchmark
  public int grpcJavaSerialize() throws IOException {
    target.clear();
    InputStream stream = grpcJava.stream(message);
    // What grpc-java's MessageFramer does with a known-length, drainable stream.
    int n = stream.available();
    int drained = ((Drainable) stream).drainTo(targetStream);
    return n + drained;
  }

  @Benchmark
  public SimpleRequest strandParse() throws IOException {
    int n = serialized.remaining();
    serialized.get(serialized.position(), scratch, 0, n);
    return strand.parse(ByteBuffer.wrap(scratch, 0, n));
  }

  @Benchmark
  public SimpleRequest grpcJavaParse() throws IOException {
    try (InputStream in =
        ReadableBuffers.openStream(
            GrpcJavaInternals.readableBuffer(Unpooled.wrappedBuffer(serialized.duplicate())),
            true)) {
      return grpcJava.parse(in);
    }
  }

  /** An OutputStream into a ByteBuffer, standing in for grpc-java's outbound buffer. */
  static final class ByteBufferOutputStream extends OutputStream {
    private final ByteBuffer buffer;

    ByteBufferOutputStream(ByteBuffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public void write(int b) {
      buffer.put((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      buffer.put(b, off, len);
    }
  }
}
