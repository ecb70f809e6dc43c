package dev.strand.bench;

import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import io.grpc.benchmarks.proto.BenchmarkService;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import java.util.concurrent.TimeUnit;

/**
 * The smoke check that the Vert.x gRPC server is a fair rival: for the request h2load sends, it
 * answers exactly what Strand's server answers (the same SimpleResponse bytes), through Strand's
 * client, which also checks the gRPC framing, headers and trailers h2load does not look at.
 */
final class VertxSmoke {
  private VertxSmoke() {}

  static String answersLikeStrand(int vertxPort, int strandPort) throws Exception {
    SimpleRequest request = Payloads.request(100, 100);
    SimpleResponse fromVertx = unaryCall(vertxPort, request);
    SimpleResponse fromStrand = unaryCall(strandPort, request);
    if (fromVertx.getPayload().getBody().size() != 100) {
      throw new IllegalStateException("Vert.x answered " + fromVertx);
    }
    if (!fromVertx.toByteString().equals(fromStrand.toByteString())) {
      throw new IllegalStateException(
          "Vert.x answered " + fromVertx + " where Strand answered " + fromStrand);
    }
    return "same 100-byte response as Strand's";
  }

  private static SimpleResponse unaryCall(int port, SimpleRequest request) throws Exception {
    ManagedChannel channel = Channel.to("127.0.0.1", port).plaintext().build();
    try {
      return BenchmarkService.client(channel).async().unaryCall(request).get(10, TimeUnit.SECONDS);
    } finally {
      channel.shutdown();
    }
  }
}
