package dev.strand.bench.jmh;

import dev.strand.bench.BenchServices;
import dev.strand.bench.Payloads;
import dev.strand.client.Channel;
import dev.strand.client.ChannelBuilder;
import dev.strand.client.ManagedChannel;
import dev.strand.opentelemetry.StrandTelemetry;
import dev.strand.server.Server;
import dev.strand.server.ServerBuilder;
import io.grpc.benchmarks.proto.BenchmarkService;
import io.grpc.benchmarks.proto.BenchmarkServiceGrpc;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.opentelemetry.GrpcOpenTelemetry;
import io.grpc.opentelemetry.InternalGrpcOpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What gRPC's OpenTelemetry metrics and tracing cost a unary call, client and server in this JVM
 * (as {@link UnaryCallBenchmark}): {@code off} (no module), {@code metrics}, {@code tracing} and
 * {@code both}, on {@link NoExportSdk}. Strand with strand-opentelemetry, and as the rival
 * grpc-java with its own grpc-opentelemetry set up the same way (tracing through its experimental
 * switch). The bar: {@code both} within 10% of {@code off}. With {@code -prof gc}, {@code
 * off} allocates what UnaryCallBenchmark's call does; with {@code -prof
 * dev.strand.bench.jmh.CpuPerOpProfiler}, cpu.per.op is the CPU a call costs both sides.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TelemetryOverheadBenchmark {
  /**
   * What is on. Tracing samples every call, unless a {@code -ratio} suffix gives the fraction of
   * traces kept ({@link NoExportSdk#create(double)}); {@code -local} leaves the SDK without
   * propagators, so no trace context crosses the wire: with {@code tracing-ratio0}, the two split
   * an unsampled call's cost between its spans and its trace context's header.
   */
  @Param({
    "off",
    "metrics",
    "tracing",
    "both",
    "tracing-ratio0.1",
    "both-ratio0.1",
    "tracing-ratio0",
    "tracing-ratio0-local"
  })
  public String telemetry;

  /** Calls in flight at once on each stack's connection. */
  static final int IN_FLIGHT = 64;

  private OpenTelemetrySdk sdk;
  private SimpleRequest request;

  private Server server;
  private ManagedChannel channel;
  private BenchmarkService.Client client;

  private io.grpc.Server grpcServer;
  private io.grpc.ManagedChannel grpcChannel;
  private BenchmarkServiceGrpc.BenchmarkServiceFutureStub grpcClient;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    request = Payloads.request(100, 100);
    boolean metrics = telemetry.startsWith("metrics") || telemetry.startsWith("both");
    boolean tracing = telemetry.startsWith("tracing") || telemetry.startsWith("both");
    boolean propagate = !telemetry.endsWith("-local");
    String setting = propagate ? telemetry : telemetry.substring(0, telemetry.length() - 6);
    int ratio = setting.indexOf("-ratio");
    double sampled = ratio < 0 ? 1.0 : Double.parseDouble(setting.substring(ratio + 6));
    sdk = telemetry.equals("off") ? null : NoExportSdk.create(sampled, propagate);
    setUpStrand(metrics, tracing);
    setUpGrpcJava(metrics, tracing);
  }

  private void setUpStrand(boolean metrics, boolean tracing) throws Exception {
    ServerBuilder serverBuilder =
        Server.builder().address("127.0.0.1", 0).service(BenchServices.strand("async"));
    StrandTelemetry strand =
        sdk == null ? null : StrandTelemetry.builder(sdk).metrics(metrics).tracing(tracing).build();
    if (strand != null) {
      strand.configure(serverBuilder);
    }
    server = serverBuilder.start();
    ChannelBuilder channelBuilder = Channel.to("127.0.0.1", server.port()).plaintext();
    if (strand != null) {
      strand.configure(channelBuilder);
    }
    channel = channelBuilder.build();
    client = BenchmarkService.client(channel);
    client.async().unaryCall(request).get(10, TimeUnit.SECONDS);
  }

  private void setUpGrpcJava(boolean metrics, boolean tracing) throws Exception {
    NettyServerBuilder serverBuilder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(BenchServices.grpcJava())
            .directExecutor();
    GrpcOpenTelemetry grpc = null;
    if (sdk != null) {
      GrpcOpenTelemetry.Builder builder = GrpcOpenTelemetry.newBuilder().sdk(sdk);
      if (!metrics) {
        builder.disableAllMetrics();
      }
      InternalGrpcOpenTelemetry.enableTracing(builder, tracing);
      grpc = builder.build();
      grpc.configureServerBuilder(serverBuilder);
    }
    grpcServer = serverBuilder.build().start();
    NettyChannelBuilder channelBuilder =
        NettyChannelBuilder.forAddress("127.0.0.1", grpcServer.getPort())
            .usePlaintext()
            .directExecutor();
    if (grpc != null) {
      grpc.configureChannelBuilder(channelBuilder);
    }
    grpcChannel = channelBuilder.build();
    grpcClient = BenchmarkServiceGrpc.newFutureStub(grpcChannel);
    grpcClient.unaryCall(request).get(10, TimeUnit.SECONDS);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    channel.close();
    server.close();
    grpcChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    grpcServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    if (sdk != null) {
      sdk.close();
    }
  }

  @Benchmark
  public SimpleResponse strandUnary() {
    return client.unaryCall(request);
  }

  /**
   * {@link #IN_FLIGHT} calls started together and awaited: one op is 64 calls, so the score over 64
   * is a call's share of the CPU when the connection is busy, which is what the throughput bar is
   * about. One call at a time ({@link #strandUnary}) mostly measures threads waking up.
   */
  @Benchmark
  @OperationsPerInvocation(IN_FLIGHT)
  public void strandUnary64InFlight() throws Exception {
    List<Future<SimpleResponse>> calls = new ArrayList<>(IN_FLIGHT);
    for (int i = 0; i < IN_FLIGHT; i++) {
      calls.add(client.async().unaryCall(request).toCompletableFuture());
    }
    awaitAll(calls);
  }

  /** The same on grpc-java, with its future stub. */
  @Benchmark
  @OperationsPerInvocation(IN_FLIGHT)
  public void grpcJavaUnary64InFlight() throws Exception {
    List<Future<SimpleResponse>> calls = new ArrayList<>(IN_FLIGHT);
    for (int i = 0; i < IN_FLIGHT; i++) {
      calls.add(grpcClient.unaryCall(request));
    }
    awaitAll(calls);
  }

  private static void awaitAll(List<Future<SimpleResponse>> calls) throws Exception {
    for (Future<SimpleResponse> call : calls) {
      call.get(10, TimeUnit.SECONDS);
    }
  }
}
