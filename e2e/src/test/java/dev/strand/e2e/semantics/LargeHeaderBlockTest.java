package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.Metadata;
import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import io.grpc.ServerServiceDefinition;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Header blocks larger than one 16 KiB frame travel as HEADERS plus CONTINUATION frames. Strand
 * writes its header blocks itself (one buffer per block), so these check that the split it makes is
 * one that grpc-java and Strand read back intact: request headers from a Strand client, response
 * headers and trailers from a Strand server. Limits are raised to 256 KiB on every side; the values
 * are random letters, which HPACK's Huffman code cannot shrink below one frame.
 */
@Timeout(30)
class LargeHeaderBlockTest {
  private static final int LIMIT = 256 * 1024;
  private static final String BIG = randomLetters(60_000);

  private final Peers peers = new Peers();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  private static String randomLetters(int n) {
    Random random = new Random(42);
    StringBuilder out = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      out.append((char) ((random.nextBoolean() ? 'a' : 'A') + random.nextInt(26)));
    }
    return out.toString();
  }

  /** Echoes the "x-big" request header in its response headers and its trailers. */
  private int strandServer() throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.UNARY,
                ServerCalls.unary(
                    req -> {
                      String big = ServerContext.current().requestHeaders().get("x-big");
                      ServerContext.current().responseHeaders().add("x-big", big);
                      ServerContext.current().responseTrailers().add("x-big-trailer", big);
                      return Probe.ask(big.length());
                    }))
            .build();
    return peers.start(Peers.strandServer().service(service).maxHeaderListSize(LIMIT)).port();
  }

  @Test
  void grpcJavaClientReadsStrandsSplitResponseBlocks() throws Exception {
    io.grpc.ManagedChannel channel =
        peers.start(Peers.grpcChannel(strandServer()).maxInboundMetadataSize(LIMIT));
    io.grpc.Metadata request = new io.grpc.Metadata();
    io.grpc.Metadata.Key<String> key =
        io.grpc.Metadata.Key.of("x-big", io.grpc.Metadata.ASCII_STRING_MARSHALLER);
    request.put(key, BIG);
    AtomicReference<io.grpc.Metadata> headers = new AtomicReference<>();
    AtomicReference<io.grpc.Metadata> trailers = new AtomicReference<>();
    byte[] reply =
        io.grpc.stub.ClientCalls.blockingUnaryCall(
            io.grpc.ClientInterceptors.intercept(
                channel,
                io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(request),
                io.grpc.stub.MetadataUtils.newCaptureMetadataInterceptor(headers, trailers)),
            Probe.G_UNARY,
            io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
            Probe.text("x"));
    assertEquals(BIG.length(), Probe.asked(reply));
    assertEquals(BIG, headers.get().get(key));
    assertEquals(
        BIG,
        trailers
            .get()
            .get(
                io.grpc.Metadata.Key.of(
                    "x-big-trailer", io.grpc.Metadata.ASCII_STRING_MARSHALLER)));
  }

  @Test
  void strandClientAndServerReadEachOthersSplitBlocks() throws Exception {
    ManagedChannel channel =
        peers.start(Peers.strandChannel(strandServer()).maxHeaderListSize(LIMIT));
    for (int i = 0; i < 3; i++) { // Later calls reuse HPACK's dynamic table.
      Metadata[] received = new Metadata[2];
      byte[] reply =
          Calls.strand(
              channel,
              CallOptions.DEFAULT,
              new Metadata().add("x-big", BIG),
              Probe.text("x"),
              received);
      assertEquals(BIG.length(), Probe.asked(reply));
      assertEquals(BIG, received[0].get("x-big"));
      assertEquals(BIG, received[1].get("x-big-trailer"));
    }
  }

  /** A grpc-java server that answers with the length of its "x-big" request header. */
  @Test
  void grpcJavaServerReadsAStrandClientsSplitRequestBlock() throws Exception {
    io.grpc.Metadata.Key<String> key =
        io.grpc.Metadata.Key.of("x-big", io.grpc.Metadata.ASCII_STRING_MARSHALLER);
    AtomicReference<String> seen = new AtomicReference<>();
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_UNARY,
                io.grpc.stub.ServerCalls.asyncUnaryCall(
                    (req, observer) -> {
                      observer.onNext(Probe.ask(seen.get() == null ? 0 : seen.get().length()));
                      observer.onCompleted();
                    }))
            .build();
    io.grpc.ServerInterceptor capture =
        new io.grpc.ServerInterceptor() {
          @Override
          public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(
              io.grpc.ServerCall<Q, R> call,
              io.grpc.Metadata headers,
              io.grpc.ServerCallHandler<Q, R> next) {
            seen.set(headers.get(key));
            return next.startCall(call, headers);
          }
        };
    io.grpc.Server server =
        peers.start(
            Peers.grpcServer()
                .maxInboundMetadataSize(LIMIT)
                .addService(io.grpc.ServerInterceptors.intercept(service, capture)));
    ManagedChannel channel =
        peers.start(Peers.strandChannel(server.getPort()).maxHeaderListSize(LIMIT));
    byte[] reply =
        Calls.strand(
            channel, CallOptions.DEFAULT, new Metadata().add("x-big", BIG), Probe.text("x"));
    assertEquals(BIG.length(), Probe.asked(reply));
    assertEquals(BIG, seen.get());
  }
}
