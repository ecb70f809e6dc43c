package dev.strand.interop;

import dev.strand.client.Channel;
import dev.strand.client.ChannelBuilder;
import dev.strand.client.ManagedChannel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The interop test client, with gRPC's standard flags: {@code --server_host=H --server_port=N
 * --test_case=NAME [--use_tls=true] [--use_test_ca=true] [--server_host_override=NAME]}. {@code
 * --test_case} also takes {@code all} or a comma-separated list. Each case runs on a channel of its
 * own and prints {@code PASS name (ms)} or {@code FAIL name: why}; the exit status is 0 only if
 * every case passed.
 */
public final class InteropClient {
  /** A case that has not finished by then has failed; the next one still runs. */
  private static final long CASE_TIMEOUT_SECONDS = 60;

  private static final Set<String> FLAGS =
      Set.of(
          "server_host",
          "server_port",
          "test_case",
          "use_tls",
          "use_test_ca",
          "server_host_override",
          "default_service_account",
          "oauth_scope",
          "service_account_key_file",
          "service_config_json");

  private InteropClient() {}

  public static void main(String[] args) {
    Flags flags;
    List<String> cases;
    try {
      flags = Flags.parse(args, FLAGS);
      cases = casesToRun(flags.get("test_case", "empty_unary"));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(
          "usage: InteropClient --server_host=H --server_port=N --test_case=NAME"
              + " [--use_tls=true] [--use_test_ca=true] [--server_host_override=NAME]");
      System.exit(2);
      return;
    }
    CompressionProbe.install();
    ExecutorService runner =
        Executors.newCachedThreadPool(
            r -> {
              Thread thread = new Thread(r, "interop-case");
              thread.setDaemon(true); // A case stuck past its timeout must not keep the JVM alive.
              return thread;
            });
    int failed = 0;
    PrintStream out = System.out;
    for (String name : cases) {
      long start = System.nanoTime();
      String failure = runOne(flags, name, runner);
      if (failure == null) {
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        out.println("PASS " + name + " (" + ms + " ms)");
      } else {
        failed++;
        out.println("FAIL " + name + ": " + failure);
      }
      out.flush();
    }
    if (cases.size() > 1) {
      out.println(
          "strand interop client: " + (cases.size() - failed) + " passed, " + failed + " failed");
    }
    out.flush();
    System.exit(failed == 0 ? 0 : 1);
  }

  /** Runs one case on a fresh channel; returns why it failed, or null if it passed. */
  private static String runOne(Flags flags, String name, ExecutorService runner) {
    TestCases.TestCase testCase = TestCases.find(name);
    CallRecorder recorder = new CallRecorder();
    ManagedChannel channel;
    try {
      channel = channel(flags, recorder);
    } catch (RuntimeException e) {
      return "could not build the channel: " + e;
    }
    try {
      Future<?> run =
          runner.submit(
              () -> {
                testCase.run(new Tester(channel, recorder));
                return null;
              });
      try {
        run.get(CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        run.cancel(true);
        return "did not finish within " + CASE_TIMEOUT_SECONDS + " s";
      } catch (ExecutionException e) {
        return describe(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
      return null;
    } finally {
      channel.shutdownNow();
    }
  }

  private static ManagedChannel channel(Flags flags, CallRecorder recorder) {
    String host = flags.get("server_host", "localhost");
    int port = flags.getInt("server_port", 8080);
    ChannelBuilder builder =
        Channel.to(host, port)
            .maxInboundMessageSize(InteropServer.MAX_MESSAGE_SIZE)
            .interceptor(recorder);
    if (flags.getBool("use_tls", false)) {
      if (flags.getBool("use_test_ca", false)) {
        builder.trustCa(Certs.file("ca.pem"));
      } else {
        builder.tls();
      }
    } else {
      builder.plaintext();
    }
    String override = flags.get("server_host_override", null);
    if (override != null) {
      builder.overrideAuthority(override);
    }
    return builder.build();
  }

  private static List<String> casesToRun(String spec) {
    if (spec.equals("all")) {
      return TestCases.all();
    }
    List<String> names = new ArrayList<>();
    for (String name : spec.split(",")) {
      String n = name.trim();
      if (TestCases.find(n) == null) {
        throw new IllegalArgumentException(
            "unknown test case '" + n + "'; known: all, " + TestCases.known());
      }
      names.add(n);
    }
    return names;
  }

  /** An assertion's message as is; anything else with its type, and its cause's if any. */
  private static String describe(Throwable t) {
    if (t instanceof AssertionError) {
      return t.getMessage();
    }
    String s = t.toString();
    return t.getCause() != null && t.getCause() != t ? s + " (cause: " + t.getCause() + ")" : s;
  }
}
