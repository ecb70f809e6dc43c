package dev.strand.bench.internals;

import dev.strand.Status;
import dev.strand.bench.Payloads;
import dev.strand.netty.framing.MessageFramer;
import dev.strand.netty.framing.MessageReader;
import dev.strand.protobuf.ProtoMarshaller;
import io.grpc.Codec;
import io.grpc.MethodDescriptor;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.internal.MessageDeframer;
import io.grpc.internal.StatsTraceContext;
import io.grpc.internal.StreamListener;
import io.grpc.internal.TransportTracer;
import io.grpc.internal.WritableBuffer;
import io.grpc.netty.shaded.io.grpc.netty.GrpcJavaInternals;
import io.grpc.protobuf.ProtoUtils;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * gRPC message framing, both ways, with each framework's real classes: Strand's MessageFramer,
 * MessageDeframer and MessageReader (from the transport's internal framing package, which
 * strand-core does not export to applications) against grpc-java's io.grpc.internal.MessageFramer
 * and MessageDeframer over its Netty buffers. Outbound: message to a framed pooled direct buffer.
 * Inbound: a received framed buffer to a parsed message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FramingBenchmark {
  @Param({"100", "4096"})
  public int size;

  private SimpleRequest message;
  private ProtoMarshaller<SimpleRequest> strandMarshaller;
  private MethodDescriptor.Marshaller<SimpleRequest> grpcMarshaller;

  private ByteBuf strandFramed;
  private dev.strand.netty.framing.MessageDeframer strandDeframer;
  private SimpleRequest strandParsed;

  private io.grpc.internal.MessageFramer grpcFramer;
  private io.grpc.netty.shaded.io.netty.buffer.ByteBuf grpcFramed;
  private MessageDeframer grpcDeframer;
  private SimpleRequest grpcParsed;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    message = Payloads.request(size, size);
    strandMarshaller = ProtoMarshaller.of(SimpleRequest.getDefaultInstance());
    grpcMarshaller = ProtoUtils.marshaller(SimpleRequest.getDefaultInstance());

    strandFramed =
        MessageFramer.frame(strandMarshaller, message, PooledByteBufAllocator.DEFAULT, null);
    strandDeframer =
        new dev.strand.netty.framing.MessageDeframer(
            new dev.strand.netty.framing.MessageDeframer.Sink() {
              @Override
              public void onMessage(ByteBuf m, boolean compressed) {
                strandParsed =
                    MessageReader.read(m, compressed, null, strandMarshaller, Integer.MAX_VALUE);
              }

              @Override
              public void onEnd() {}

              @Override
              public void onError(Status status) {
                throw status.asException();
              }

              @Override
              public void returnBytes(int bytes) {}
            },
            PooledByteBufAllocator.DEFAULT,
            Integer.MAX_VALUE);

    io.grpc.netty.shaded.io.netty.buffer.ByteBufAllocator grpcAlloc =
        io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator.DEFAULT;
    grpcFramer =
        new io.grpc.internal.MessageFramer(
            (WritableBuffer frame, boolean endOfStream, boolean flush, int messages) -> {
              if (frame != null) {
                frame.release();
              }
            },
            GrpcJavaInternals.writableBufferAllocator(grpcAlloc),
            StatsTraceContext.NOOP);
    byte[] framed = new byte[strandFramed.readableBytes()];
    strandFramed.getBytes(strandFramed.readerIndex(), framed);
    grpcFramed = grpcAlloc.directBuffer(framed.length).writeBytes(framed);
    grpcDeframer =
        new MessageDeframer(
            new MessageDeframer.Listener() {
              @Override
              public void bytesRead(int numBytes) {}

              @Override
              public void messagesAvailable(StreamListener.MessageProducer producer) {
                InputStream in;
                while ((in = producer.next()) != null) {
                  try (InputStream m = in) {
                    grpcParsed = grpcMarshaller.parse(m);
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }
              }

              @Override
              public void deframerClosed(boolean hasPartialMessage) {}

              @Override
              public void deframeFailed(Throwable cause) {
                throw new IllegalStateException(cause);
              }
            },
            Codec.Identity.NONE,
            Integer.MAX_VALUE,
            StatsTraceContext.NOOP,
            new TransportTracer());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    strandFramed.release();
    strandDeframer.close();
    grpcFramed.release();
    grpcDeframer.close();
  }

  @Benchmark
  public int strandFrame() throws IOException {
    ByteBuf b =
        MessageFramer.frame(strandMarshaller, message, PooledByteBufAllocator.DEFAULT, null);
    int n = b.readableBytes();
    b.release();
    return n;
  }

  @Benchmark
  public void grpcJavaFrame() {
    grpcFramer.writePayload(grpcMarshaller.stream(message));
    grpcFramer.flush();
  }

  @Benchmark
  public void strandDeframe(Blackhole bh) {
    strandDeframer.request(1);
    strandDeframer.feed(strandFramed.retainedDuplicate());
    bh.consume(strandParsed);
  }

  @Benchmark
  public void grpcJavaDeframe(Blackhole bh) {
    grpcDeframer.request(1);
    grpcDeframer.deframe(GrpcJavaInternals.readableBuffer(grpcFramed.retainedDuplicate()));
    bh.consume(grpcParsed);
  }
}
