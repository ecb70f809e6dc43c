package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Marshaller;
import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A decompression bomb: 256 MiB of zeros that gzip to about 256 KiB, well under the 4 MiB limit on
 * the wire. Strand must fail the call with RESOURCE_EXHAUSTED as soon as the inflated bytes pass
 * its limit — the marshaller reading the inflated stream proves it never got more — and not after
 * inflating it all. grpc-java is the sender (CallOptions.withCompression("gzip"), and a server's
 * setCompression), streaming the zeros so that neither side holds 256 MiB.
 */
@Timeout(60)
class DecompressionBombTest {
  private static final long BOMB = 256L * 1024 * 1024;
  private static final int DEFAULT_LIMIT = 4 * 1024 * 1024;

  private final Peers peers = new Peers();

  /** How many inflated bytes Strand's marshaller was given before the call failed. */
  private final AtomicLong inflated = new AtomicLong();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  /** Reads what it is given and counts it, keeping nothing. */
  private final Marshaller<Long> counting =
      new Marshaller<>() {
        @Override
        public int sizeOf(Long value) {
          throw new UnsupportedOperationException();
        }

        @Override
        public void write(Long value, ByteBuffer target) {
          throw new UnsupportedOperationException();
        }

        @Override
        public Long parse(ByteBuffer source) {
          inflated.set(source.remaining());
          return (long) source.remaining();
        }

        @Override
        public Long parse(InputStream source) throws IOException {
          byte[] buf = new byte[8192];
          for (int n; (n = source.read(buf)) > 0; ) {
            inflated.addAndGet(n);
          }
          return inflated.get();
        }
      };

  /** grpc-java's side: a message of n zero bytes, produced as it is read. */
  private static final io.grpc.MethodDescriptor.Marshaller<Long> ZEROS =
      new io.grpc.MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(Long n) {
          return new InputStream() {
            private long left = n;

            @Override
            public int read() {
              return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
              if (left <= 0) {
                return -1;
              }
              int count = (int) Math.min(len, left);
              java.util.Arrays.fill(b, off, off + count, (byte) 0);
              left -= count;
              return count;
            }
          };
        }

        @Override
        public Long parse(InputStream stream) {
          throw new UnsupportedOperationException();
        }
      };

  private void expectStoppedAtTheLimit(Status status, int limit) {
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.code(), status::toString);
    assertTrue(
        status.description().contains("larger than the limit of " + limit + " bytes"),
        status::toString);
    assertTrue(
        inflated.get() <= limit,
        "the marshaller was given "
            + inflated.get()
            + " inflated bytes, more than the "
            + limit
            + " limit");
  }

  @Test
  void strandServerStopsInflatingAGrpcJavaBombAtItsLimit() throws Exception {
    MethodDescriptor<Long, byte[]> bomb =
        Probe.strand(MethodType.UNARY, "Bomb", counting, Probe.BYTES);
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(bomb, ServerCalls.unary(n -> Probe.ask(n.intValue())))
            .method(Probe.UNARY, ServerCalls.unary(req -> req))
            .build();
    var channel = peers.grpcChannelTo(peers.start(Peers.strandServer().service(service)).port());
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                io.grpc.stub.ClientCalls.blockingUnaryCall(
                    channel,
                    Probe.grpc(
                        io.grpc.MethodDescriptor.MethodType.UNARY, "Bomb", ZEROS, Probe.G_BYTES),
                    io.grpc.CallOptions.DEFAULT
                        .withCompression("gzip")
                        .withDeadlineAfter(30, TimeUnit.SECONDS),
                    BOMB));
    expectStoppedAtTheLimit(
        Status.fromCodeValue(e.getStatus().getCode().value())
            .withDescription(e.getStatus().getDescription()),
        DEFAULT_LIMIT);
    // The connection is still good.
    io.grpc.stub.ClientCalls.blockingUnaryCall(
        channel,
        Probe.G_UNARY,
        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
        Probe.text("ok"));
  }

  /** A grpc-java server that answers any request with a compressed bomb of the asked size. */
  private int grpcBomber() {
    io.grpc.MethodDescriptor<byte[], Long> method =
        Probe.grpc(io.grpc.MethodDescriptor.MethodType.UNARY, "Bomb", Probe.G_BYTES, ZEROS);
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                method,
                io.grpc.stub.ServerCalls.asyncUnaryCall(
                    (req, responses) -> {
                      ((ServerCallStreamObserver<Long>) responses).setCompression("gzip");
                      responses.onNext((long) Probe.asked(req) * 1024 * 1024);
                      responses.onCompleted();
                    }))
            .build();
    return peers.grpcServerWith(service).getPort();
  }

  private Status strandCallsBomber(ManagedChannel channel, CallOptions options) {
    MethodDescriptor<byte[], Long> bomb =
        Probe.strand(MethodType.UNARY, "Bomb", Probe.BYTES, counting);
    return assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    channel, bomb, options.withTimeout(Duration.ofSeconds(30)), Probe.ask(256)))
        .status();
  }

  @Test
  void strandClientStopsInflatingAGrpcJavaBombAtItsLimit() throws Exception {
    ManagedChannel channel = peers.strandChannelTo(grpcBomber());
    expectStoppedAtTheLimit(strandCallsBomber(channel, CallOptions.DEFAULT), DEFAULT_LIMIT);
  }

  @Test
  void strandClientStopsAtAChannelOrCallLimitToo() throws Exception {
    int port = grpcBomber();
    ManagedChannel channel =
        peers.start(Peers.strandChannel(port).maxInboundMessageSize(1024 * 1024));
    expectStoppedAtTheLimit(strandCallsBomber(channel, CallOptions.DEFAULT), 1024 * 1024);
    inflated.set(0);
    expectStoppedAtTheLimit(
        strandCallsBomber(channel, CallOptions.DEFAULT.withMaxInboundMessageSize(64 * 1024)),
        64 * 1024);
  }

  @Test
  void strandServerStopsInflatingAStrandBombAtItsLimit() throws Exception {
    MethodDescriptor<Long, byte[]> serverSide =
        Probe.strand(MethodType.UNARY, "Bomb", counting, Probe.BYTES);
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(serverSide, ServerCalls.unary(n -> Probe.ask(n.intValue())))
            .build();
    ManagedChannel channel =
        peers.strandChannelTo(
            peers
                .start(Peers.strandServer().maxInboundMessageSize(1024 * 1024).service(service))
                .port());
    // Strand's client compresses from one buffer, so this bomb is smaller: 16 MiB.
    MethodDescriptor<byte[], byte[]> clientSide =
        Probe.strand(MethodType.UNARY, "Bomb", Probe.BYTES, Probe.BYTES);
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    channel,
                    clientSide,
                    CallOptions.DEFAULT.withCompression("gzip").withTimeout(Duration.ofSeconds(30)),
                    new byte[16 * 1024 * 1024]));
    expectStoppedAtTheLimit(e.status(), 1024 * 1024);
  }
}
