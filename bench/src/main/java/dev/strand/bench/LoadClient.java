package dev.strand.bench;

import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load client, for Strand's client or grpc-java's, driving the same closed loops:
 *
 * <pre>
 *   --impl=strand|grpc-java   --target=127.0.0.1:PORT
 *   --channel_target=T --lb=P  unary scenarios, Strand only: channels to target T (say
 *                             ipv4:127.0.0.2:PORT,127.0.0.3:PORT) with load-balancing policy P
 *   --scenarios=a,b,..        unary-latency       1 call outstanding, 1 connection: p50/p99
 *                             unary-64x1          64 calls outstanding on 1 connection
 *                             unary-64x4          64 calls outstanding over 4 connections
 *                             stream-pingpong     one StreamingCall, one message in flight
 *                             server-stream-1k    StreamingFromServer, 1 KiB responses: MB/s
 *                             server-stream-64k   StreamingFromServer, 64 KiB responses: MB/s
 *                             idle-conns          opens --idle_connections connections, one call
 *                                                 each, prints IDLE_READY and holds them until
 *                                                 stdin closes (or --hold seconds)
 *   --warmup=S --duration=S   per scenario (seconds, fractions allowed; defaults 2 and 4)
 *   --first_warmup=S          the first scenario's warmup (default: --warmup)
 *   --payload=N               request and unary response payload bytes (default 100)
 *   --server_pid=P            also report the server's CPU time per call, from /proc
 *   --commands                stay up and take one line of these flags per run from stdin
 * </pre>
 *
 * Prints one {@code RESULT key=value ...} line per scenario. Exits non-zero if a call failed.
 */
public final class LoadClient {
  private static final long MAX_LATENCY_SAMPLES = 4_000_000;

  private final Args args;
  private final String impl;
  private final String host;
  private final int port;
  private Duration warmup;
  private final Duration firstWarmup;
  private final Duration duration;
  private final int payload;
  private final long serverPid;

  /** Strand only: channels to this target with this policy instead of to host:port. */
  private final String channelTarget;

  private final String policy;
  private final List<String> failures = new ArrayList<>();

  private LoadClient(Args args) {
    this.args = args;
    this.impl = args.get("impl", "strand");
    String target = args.get("target", "127.0.0.1:50051");
    int colon = target.lastIndexOf(':');
    this.host = target.substring(0, colon);
    this.port = Integer.parseInt(target.substring(colon + 1));
    this.warmup = args.seconds("warmup", 2);
    this.firstWarmup = args.seconds("first_warmup", args.getDouble("warmup", 2));
    this.duration = args.seconds("duration", 4);
    this.payload = args.getInt("payload", 100);
    this.serverPid = args.getLong("server_pid", -1);
    this.channelTarget = args.get("channel_target", null);
    this.policy = args.get("lb", "pick_first");
    ProcStat.clockTicksPerSecond = args.getLong("clk_tck", ProcStat.clockTicksPerSecond);
  }

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    if (args.getBool("commands")) {
      System.exit(commands(argv));
    }
    System.exit(runOnce(args) ? 0 : 1);
  }

  /** Runs the scenarios of one command line; false if any failed. */
  private static boolean runOnce(Args args) throws Exception {
    LoadClient client = new LoadClient(args);
    Duration steady = client.warmup;
    // The first scenario also warms the JIT for the rest: --first_warmup can make it longer.
    client.warmup = client.firstWarmup;
    for (String scenario : args.get("scenarios", "unary-latency").split(",")) {
      client.run(scenario.trim());
      client.warmup = steady;
    }
    if (!client.failures.isEmpty()) {
      System.out.println("FAILED " + client.failures);
      System.err.println("FAILED: " + client.failures);
      return false;
    }
    return true;
  }

  /**
   * --commands: a long-lived client that the harness drives through stdin, one line of flags per
   * run (added to the command line's), so its JIT stays warm across rounds. Each run ends with a
   * DONE line; "quit" or EOF ends the process.
   */
  private static int commands(String[] base) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("READY pid=" + ProcessHandle.current().pid());
    System.out.flush();
    int failed = 0;
    String line;
    while ((line = in.readLine()) != null && !line.trim().equals("quit")) {
      if (line.isBlank()) {
        continue;
      }
      List<String> merged = new ArrayList<>(Arrays.asList(base));
      merged.remove("--commands");
      merged.addAll(Arrays.asList(line.trim().split("\\s+")));
      try {
        if (!runOnce(new Args(merged.toArray(new String[0])))) {
          failed++;
        }
      } catch (Exception e) {
        failed++;
        System.out.println("FAILED " + e);
        e.printStackTrace();
      }
      System.out.println("DONE");
      System.out.flush();
    }
    return failed == 0 ? 0 : 1;
  }

  private void run(String scenario) throws Exception {
    switch (scenario) {
      case "unary-latency" -> unary(scenario, 1, 1, true);
      case "unary-64x1" -> unary(scenario, 64, 1, false);
      case "unary-64x4" -> unary(scenario, 64, 4, false);
      case "stream-pingpong" -> pingPong(scenario);
      case "server-stream-1k" -> serverStream(scenario, 1024);
      case "server-stream-64k" -> serverStream(scenario, 64 * 1024);
      case "idle-conns" -> idle(args.getInt("idle_connections", 1000));
      default -> throw new IllegalArgumentException("unknown scenario " + scenario);
    }
  }

  /** Counters of one measured window. */
  private final class Window {
    final AtomicBoolean measuring = new AtomicBoolean();
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong ops = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicInteger samples = new AtomicInteger();
    final long[] latencies;
    volatile Throwable firstError;
    long opsAtStart;
    long opsAtEnd;
    long nanos;
    long serverCpuMicros = -1;
    long clientCpuMicros;

    Window(boolean recordLatency) {
      long expected =
          recordLatency
              ? Math.min(MAX_LATENCY_SAMPLES, (long) (duration.toNanos() / 1e9 * 200_000) + 1000)
              : 0;
      latencies = new long[(int) expected];
    }

    void done(long startNanos) {
      ops.incrementAndGet();
      if (latencies.length > 0 && measuring.get()) {
        int i = samples.getAndIncrement();
        if (i < latencies.length) {
          latencies[i] = System.nanoTime() - startNanos;
        }
      }
    }

    void failed(Throwable t) {
      errors.incrementAndGet();
      if (firstError == null) {
        firstError = t;
      }
    }

    /** Waits out the warmup, then measures for the duration. */
    void measure() throws InterruptedException {
      Thread.sleep(warmup.toMillis());
      long cpu0 = serverPid > 0 ? ProcStat.cpuMicros(serverPid) : -1;
      long own0 = ownCpuMicros();
      long t0 = System.nanoTime();
      opsAtStart = ops.get();
      measuring.set(true);
      Thread.sleep(duration.toMillis());
      measuring.set(false);
      opsAtEnd = ops.get();
      nanos = System.nanoTime() - t0;
      clientCpuMicros = ownCpuMicros() - own0;
      if (cpu0 >= 0) {
        serverCpuMicros = ProcStat.cpuMicros(serverPid) - cpu0;
      }
      running.set(false);
    }

    long measuredOps() {
      return opsAtEnd - opsAtStart;
    }

    double perSecond() {
      return measuredOps() / (nanos / 1e9);
    }

    String common() {
      long n = Math.max(1, measuredOps());
      StringBuilder sb = new StringBuilder();
      sb.append(" ops=")
          .append(measuredOps())
          .append(" seconds=")
          .append(fmt(nanos / 1e9))
          .append(" rate=")
          .append(fmt(perSecond()))
          .append(" errors=")
          .append(errors.get())
          .append(" client_cpu_us_per_op=")
          .append(fmt((double) clientCpuMicros / n));
      if (serverCpuMicros >= 0) {
        sb.append(" server_cpu_us_per_op=").append(fmt((double) serverCpuMicros / n));
      }
      return sb.toString();
    }
  }

  private void unary(String scenario, int outstanding, int connections, boolean latency)
      throws Exception {
    SimpleRequest request = Payloads.request(payload, payload);
    Window w = new Window(latency);
    AtomicInteger inFlight = new AtomicInteger();
    try (Driver driver = Driver.create(impl, host, port, connections, channelTarget, policy)) {
      primeConnections(driver, request);
      for (int i = 0; i < outstanding; i++) {
        int conn = i % connections;
        inFlight.incrementAndGet();
        new Runnable() {
          @Override
          public void run() {
            if (!w.running.get()) {
              inFlight.decrementAndGet();
              return;
            }
            long start = System.nanoTime();
            Runnable next = this;
            driver.unary(
                conn,
                request,
                (response, error) -> {
                  if (error != null) {
                    w.failed(error);
                    inFlight.decrementAndGet();
                    return;
                  }
                  w.done(start);
                  next.run();
                });
          }
        }.run();
      }
      w.measure();
      drain(inFlight);
    }
    StringBuilder line =
        new StringBuilder(
            "RESULT impl="
                + impl
                + " scenario="
                + scenario
                + " outstanding="
                + outstanding
                + " connections="
                + connections
                + " payload="
                + payload);
    line.append(w.common());
    if (latency) {
      int n = Math.min(w.samples.get(), w.latencies.length);
      long[] sorted = Arrays.copyOf(w.latencies, n);
      Arrays.sort(sorted);
      line.append(" p50_us=")
          .append(fmt(percentile(sorted, 0.50) / 1e3))
          .append(" p90_us=")
          .append(fmt(percentile(sorted, 0.90) / 1e3))
          .append(" p99_us=")
          .append(fmt(percentile(sorted, 0.99) / 1e3))
          .append(" p999_us=")
          .append(fmt(percentile(sorted, 0.999) / 1e3));
    }
    report(scenario, w, line.toString());
  }

  private void pingPong(String scenario) throws Exception {
    SimpleRequest request = Payloads.request(payload, payload);
    Window w = new Window(false);
    CountDownLatch closed = new CountDownLatch(1);
    try (Driver driver = Driver.create(impl, host, port, 1)) {
      primeConnections(driver, request);
      Driver.Stream[] stream = new Driver.Stream[1];
      long[] sent = new long[1];
      driver.streamingCall(
          0,
          new Driver.StreamListener() {
            @Override
            public void onStart(Driver.Stream started) {
              stream[0] = started;
            }

            @Override
            public void onMessage(SimpleResponse response) {
              w.done(sent[0]);
              if (w.running.get()) {
                sent[0] = System.nanoTime();
                stream[0].request(1);
                stream[0].send(request);
              } else {
                stream[0].cancel();
              }
            }

            @Override
            public void onClose(Throwable error, boolean cancelled) {
              if (error != null && !cancelled) {
                w.failed(error);
              }
              closed.countDown();
            }
          });
      sent[0] = System.nanoTime();
      stream[0].send(request);
      w.measure();
      if (!closed.await(5, TimeUnit.SECONDS)) {
        stream[0].cancel();
      }
    }
    report(
        scenario,
        w,
        "RESULT impl=" + impl + " scenario=" + scenario + " payload=" + payload + w.common());
  }

  private void serverStream(String scenario, int size) throws Exception {
    SimpleRequest request = Payloads.request(0, size);
    Window w = new Window(false);
    AtomicLong bytes = new AtomicLong();
    CountDownLatch closed = new CountDownLatch(1);
    long bytesAtStart;
    long bytesAtEnd;
    try (Driver driver = Driver.create(impl, host, port, 1)) {
      primeConnections(driver, Payloads.request(payload, payload));
      Driver.Stream[] stream = new Driver.Stream[1];
      driver.streamingFromServer(
          0,
          request,
          new Driver.StreamListener() {
            @Override
            public void onStart(Driver.Stream started) {
              // Not from the return value: the first message can come before that is assigned.
              stream[0] = started;
            }

            @Override
            public void onMessage(SimpleResponse response) {
              w.ops.incrementAndGet();
              bytes.addAndGet(response.getPayload().getBody().size());
              if (w.running.get()) {
                stream[0].request(1);
              }
            }

            @Override
            public void onClose(Throwable error, boolean cancelled) {
              if (error != null && !cancelled) {
                w.failed(error);
              }
              closed.countDown();
            }
          });
      Thread.sleep(warmup.toMillis());
      long cpu0 = serverPid > 0 ? ProcStat.cpuMicros(serverPid) : -1;
      long own0 = ownCpuMicros();
      long t0 = System.nanoTime();
      w.opsAtStart = w.ops.get();
      bytesAtStart = bytes.get();
      Thread.sleep(duration.toMillis());
      w.opsAtEnd = w.ops.get();
      bytesAtEnd = bytes.get();
      w.nanos = System.nanoTime() - t0;
      w.clientCpuMicros = ownCpuMicros() - own0;
      if (cpu0 >= 0) {
        w.serverCpuMicros = ProcStat.cpuMicros(serverPid) - cpu0;
      }
      w.running.set(false);
      stream[0].cancel();
      closed.await(5, TimeUnit.SECONDS);
    }
    double mbps = (bytesAtEnd - bytesAtStart) / (w.nanos / 1e9) / 1e6;
    report(
        scenario,
        w,
        "RESULT impl="
            + impl
            + " scenario="
            + scenario
            + " size="
            + size
            + w.common()
            + " mb_per_s="
            + fmt(mbps));
  }

  private void idle(int n) throws Exception {
    SimpleRequest request = Payloads.request(payload, payload);
    long hold = args.getLong("hold", 120);
    try (Driver driver = Driver.create(impl, host, port, n)) {
      List<CompletableFuture<SimpleResponse>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        CompletableFuture<SimpleResponse> f = new CompletableFuture<>();
        driver.unary(
            i,
            request,
            (r, t) -> {
              if (t != null) {
                f.completeExceptionally(t);
              } else {
                f.complete(r);
              }
            });
        calls.add(f);
        if (i % 100 == 99) {
          // Not all at once: a burst of 1,000 handshakes is not what this measures.
          awaitQuietly(calls, 3);
        }
      }
      awaitQuietly(calls, 10);
      // A connection whose first call was lost is still an open connection: count, don't stop.
      long failed = calls.stream().filter(f -> !f.isDone() || f.isCompletedExceptionally()).count();
      if (failed > n / 20) {
        throw new IllegalStateException(failed + " of " + n + " first calls failed or hung");
      }
      System.out.println(
          "IDLE_READY impl=" + impl + " connections=" + n + " failed_calls=" + failed);
      System.out.flush();
      Thread waiter =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                  while (in.readLine() != null) {
                    // hold until the harness closes our stdin
                  }
                } catch (Exception ignored) {
                  // same as EOF
                }
              });
      waiter.setDaemon(true);
      waiter.start();
      waiter.join(TimeUnit.SECONDS.toMillis(hold));
      System.out.println(
          "RESULT impl=" + impl + " scenario=idle-conns connections=" + n + " errors=" + failed);
    }
  }

  /** Waits for the calls, at most {@code seconds}; failures are counted by the caller. */
  private static void awaitQuietly(List<CompletableFuture<SimpleResponse>> calls, long seconds)
      throws InterruptedException {
    try {
      CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0]))
          .get(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // counted afterwards
    }
  }

  /** One call on every connection first: connection setup is not what the scenarios measure. */
  private static void primeConnections(Driver driver, SimpleRequest request) throws Exception {
    for (int c = 0; c < driver.connections(); c++) {
      CompletableFuture<SimpleResponse> f = new CompletableFuture<>();
      driver.unary(
          c,
          request,
          (r, t) -> {
            if (t != null) {
              f.completeExceptionally(t);
            } else {
              f.complete(r);
            }
          });
      // Generous for a cold JVM on a busy machine; a lost first call shows up as a timeout.
      f.get(10, TimeUnit.SECONDS);
    }
  }

  private static void drain(AtomicInteger inFlight) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  private void report(String scenario, Window w, String line) {
    System.out.println(line);
    System.out.flush();
    if (w.errors.get() > 0) {
      failures.add(scenario + ": " + w.errors.get() + " errors, first: " + w.firstError);
    } else if (w.measuredOps() <= 0) {
      failures.add(scenario + ": nothing completed in the measured window");
    }
  }

  private static long ownCpuMicros() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1000;
    }
    return 0;
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)];
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
