package dev.strand.bench.jmh;

import dev.strand.bench.BenchServices;
import dev.strand.bench.Payloads;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import io.grpc.benchmarks.proto.BenchmarkService;
import io.grpc.benchmarks.proto.BenchmarkServiceGrpc;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One whole unary call over loopback h2c, client and server in this JVM, each framework with its
 * blocking stub against its fastest server setting (Strand: async handlers on the event loop;
 * grpc-java: directExecutor). With {@code -prof gc}, gc.alloc.rate.norm is everything both sides
 * allocate per call: the "allocation per call" of the benchmark table.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class UnaryCallBenchmark {
  private Server strandServer;
  private ManagedChannel strandChannel;
  private BenchmarkService.Client strandClient;

  private io.grpc.Server grpcServer;
  private io.grpc.ManagedChannel grpcChannel;
  private BenchmarkServiceGrpc.BenchmarkServiceBlockingStub grpcClient;

  private SimpleRequest request;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    request = Payloads.request(100, 100);
    strandServer =
        Server.builder().address("127.0.0.1", 0).service(BenchServices.strand("async")).start();
    for (int attempt = 1; ; attempt++) {
      strandChannel = Channel.to("127.0.0.1", strandServer.port()).plaintext().build();
      try {
        // A first call that fails (a cold JVM on a busy machine) is retried rather than
        // failing the whole JMH run.
        BenchmarkService.client(strandChannel).async().unaryCall(request).get(10, TimeUnit.SECONDS);
        break;
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        strandChannel.shutdownNow();
        if (attempt == 3) {
          throw e;
        }
      }
    }
    strandClient = BenchmarkService.client(strandChannel);

    grpcServer =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(BenchServices.grpcJava())
            .directExecutor()
            .build()
            .start();
    grpcChannel =
        NettyChannelBuilder.forAddress("127.0.0.1", grpcServer.getPort())
            .usePlaintext()
            .directExecutor()
            .build();
    grpcClient = BenchmarkServiceGrpc.newBlockingStub(grpcChannel);
    strandUnary();
    grpcJavaUnary();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    strandChannel.close();
    strandServer.close();
    grpcChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    grpcServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Benchmark
  public SimpleResponse strandUnary() {
    return strandClient.unaryCall(request);
  }

  @Benchmark
  public SimpleResponse grpcJavaUnary() {
    return grpcClient.unaryCall(request);
  }
}
