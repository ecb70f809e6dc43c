package dev.strand.bench;

import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What hedging (A6) does for the tail: a Strand server whose replies are slow on 10% of attempts
 * ({@code --slow_ms}, 100 ms by default, chosen at random per attempt), called by Strand channels
 * without hedging and with {@code hedgingPolicy {maxAttempts: 3, hedgingDelay: 5ms}}, A B per
 * round, 4 callers each. Prints the latency percentiles and the p99 ratio as a markdown table (and
 * writes it to {@code --out}). Run by {@code bench/run-hedging.sh}.
 */
public final class HedgingBenchmark {
  private static final MethodDescriptor<byte[], byte[]> ECHO =
      MethodDescriptor.of(MethodType.UNARY, "bench.Tail/Echo", new Bytes(), new Bytes());

  private static final String HEDGED =
      """
      {"methodConfig": [{"name": [{"service": "bench.Tail"}],
        "hedgingPolicy": {"maxAttempts": 3, "hedgingDelay": "0.005s"}}]}
      """;

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    int slowMs = args.getInt("slow_ms", 100);
    int calls = args.getInt("calls", 2000);
    int rounds = args.getInt("rounds", 3);
    int callers = args.getInt("callers", 4);
    ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor();
    ServiceDefinition tail =
        ServiceDefinition.builder("bench.Tail")
            .method(
                ECHO,
                ServerCalls.asyncUnary(
                    request -> {
                      if (ThreadLocalRandom.current().nextInt(10) != 0) {
                        return CompletableFuture.completedFuture(request);
                      }
                      CompletableFuture<byte[]> slow = new CompletableFuture<>();
                      delays.schedule(() -> slow.complete(request), slowMs, TimeUnit.MILLISECONDS);
                      return slow;
                    }))
            .build();
    try (Server server = Server.builder().address("127.0.0.1", 0).service(tail).start()) {
      ManagedChannel plain = Channel.to("127.0.0.1", server.port()).plaintext().build();
      ManagedChannel hedged =
          Channel.to("127.0.0.1", server.port()).plaintext().defaultServiceConfig(HEDGED).build();
      run(plain, calls / 4, callers); // warm both
      run(hedged, calls / 4, callers);
      List<long[]> plainRounds = new ArrayList<>();
      List<long[]> hedgedRounds = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        plainRounds.add(run(plain, calls, callers));
        hedgedRounds.add(run(hedged, calls, callers));
        System.err.printf("round %d/%d done%n", round, rounds);
      }
      String table = table(plainRounds, hedgedRounds, slowMs, calls, rounds, callers);
      System.out.print(table);
      String out = args.get("out", null);
      if (out != null) {
        Files.writeString(Path.of(out), table, StandardCharsets.UTF_8);
      }
      plain.shutdownNow();
      hedged.shutdownNow();
    } finally {
      delays.shutdownNow();
    }
  }

  /** {@code calls} calls from {@code callers} threads; every call's latency, sorted, in µs. */
  private static long[] run(ManagedChannel channel, int calls, int callers) throws Exception {
    long[] micros = new long[calls];
    List<Thread> threads = new ArrayList<>();
    byte[] payload = new byte[100];
    for (int c = 0; c < callers; c++) {
      int first = c;
      Thread t =
          new Thread(
              () -> {
                for (int i = first; i < calls; i += callers) {
                  long start = System.nanoTime();
                  try {
                    ClientCalls.blockingUnary(
                        channel,
                        ECHO,
                        CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
                        payload);
                  } catch (Exception e) {
                    throw new IllegalStateException("a benchmark call failed", e);
                  }
                  micros[i] = (System.nanoTime() - start) / 1000;
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    Arrays.sort(micros);
    return micros;
  }

  private static double percentile(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  /** The median over rounds of one percentile. */
  private static double median(List<long[]> rounds, double p) {
    double[] values = rounds.stream().mapToDouble(r -> percentile(r, p)).sorted().toArray();
    return values[values.length / 2];
  }

  private static String table(
      List<long[]> plain, List<long[]> hedged, int slowMs, int calls, int rounds, int callers) {
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "Server slow (%d ms) on 10%% of attempts; %d calls per round from %d callers, %d"
                + " rounds A B, medians over rounds; hedged: maxAttempts 3, hedgingDelay 5 ms.%n%n",
            slowMs,
            calls,
            callers,
            rounds));
    md.append("| latency (ms) | no hedging | hedging | no hedging / hedging |\n");
    md.append("|---|---:|---:|---:|\n");
    for (double p : new double[] {0.50, 0.90, 0.99, 0.999}) {
      double a = median(plain, p) / 1000;
      double b = median(hedged, p) / 1000;
      md.append(
          String.format(
              Locale.ROOT,
              "| p%s | %.2f | %.2f | %.1fx |%n",
              p == 0.999 ? "99.9" : Integer.toString((int) Math.round(p * 100)),
              a,
              b,
              a / b));
    }
    return md.toString();
  }

  /** Bytes as they are. */
  private static final class Bytes implements dev.strand.Marshaller<byte[]> {
    @Override
    public int sizeOf(byte[] value) {
      return value.length;
    }

    @Override
    public void write(byte[] value, java.nio.ByteBuffer target) {
      target.put(value);
    }

    @Override
    public byte[] parse(java.nio.ByteBuffer source) {
      byte[] bytes = new byte[source.remaining()];
      source.get(bytes);
      return bytes;
    }

    @Override
    public byte[] parse(java.io.InputStream source) throws java.io.IOException {
      return source.readAllBytes();
    }
  }
}
