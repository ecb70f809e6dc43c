package dev.strand.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One h2load run (Debian's nghttp2-client) and what it reports: {@code rate} (req/s), {@code
 * elapsed_us}, {@code done} and {@code failed} requests. Fails if h2load reports nothing or any
 * request failed, so a broken path is never read as a fast one.
 */
public final class H2load {
  private static final Pattern FINISHED =
      Pattern.compile("finished in ([\\d.]+)(m?s), ([\\d.]+) req/s");
  private static final Pattern REQUESTS =
      Pattern.compile(
          "requests: (\\d+) total, (\\d+) started, (\\d+) done, "
              + "(\\d+) succeeded, (\\d+) failed, (\\d+) errored");

  private final String executable;
  private final String url;
  private int connections = 1;
  private int streams = 1;
  private boolean http1;
  private int seconds;
  private long requests;
  private long rpsPerConnection;
  private Path body;
  private Path latencyLog;
  private final List<String> headers = new ArrayList<>();

  public H2load(String executable, String url) {
    this.executable = executable;
    this.url = url;
  }

  /** {@code -c}: connections. */
  public H2load connections(int n) {
    connections = n;
    return this;
  }

  /** {@code -m}: concurrent streams per connection (HTTP/2; 1 for HTTP/1.1, no pipelining). */
  public H2load streams(int n) {
    streams = n;
    return this;
  }

  /** {@code --h1}: HTTP/1.1 with keep-alive instead of HTTP/2 with prior knowledge. */
  public H2load http1(boolean on) {
    http1 = on;
    return this;
  }

  /** {@code -D}: run for this long. */
  public H2load seconds(int s) {
    seconds = s;
    return this;
  }

  /** {@code -n}: this many requests in all (instead of a duration). */
  public H2load requests(long n) {
    requests = n;
    return this;
  }

  /** {@code --rps}: offered requests per second, per connection. */
  public H2load rpsPerConnection(long rps) {
    rpsPerConnection = rps;
    return this;
  }

  /** {@code -d}: the request body (makes the request a POST). */
  public H2load body(Path file) {
    body = file;
    return this;
  }

  /** {@code -H}: one request header, {@code "name: value"}. */
  public H2load header(String header) {
    headers.add(header);
    return this;
  }

  /** {@code --log-file}: one row per request, read by {@link LatencyLog}. */
  public H2load latencyLog(Path file) {
    latencyLog = file;
    return this;
  }

  List<String> command() {
    List<String> cmd = new ArrayList<>(List.of(executable, "-t", "1"));
    cmd.addAll(List.of("-c", Integer.toString(connections), "-m", Integer.toString(streams)));
    if (http1) {
      cmd.add("--h1");
    }
    if (requests > 0) {
      cmd.addAll(List.of("-n", Long.toString(requests)));
    } else {
      cmd.addAll(List.of("-D", Integer.toString(seconds)));
    }
    if (rpsPerConnection > 0) {
      cmd.add("--rps=" + rpsPerConnection);
    }
    if (body != null) {
      cmd.addAll(List.of("-d", body.toString()));
    }
    for (String h : headers) {
      cmd.addAll(List.of("-H", h));
    }
    if (latencyLog != null) {
      cmd.add("--log-file=" + latencyLog);
    }
    cmd.add(url);
    return cmd;
  }

  /** Runs h2load, its output logged to {@code log}; {@code what} names the target in errors. */
  public Map<String, Double> run(Path log, String what) throws IOException, InterruptedException {
    long limit = (seconds > 0 ? seconds : 60) + 30L;
    try (Proc p = Proc.start("h2load", command(), log)) {
      return parse(p.finish(Duration.ofSeconds(limit)), what);
    }
  }

  static Map<String, Double> parse(List<String> lines, String what) throws IOException {
    Map<String, Double> r = new LinkedHashMap<>();
    for (String line : lines) {
      // "finished in 5.00s, ..." but "finished in 999.99ms, ..." when a run ends just short of
      // its second: the unit varies, the rate is per second either way.
      find(
          FINISHED,
          line,
          m -> {
            double scale = m.group(2).equals("ms") ? 1e3 : 1e6;
            r.put("elapsed_us", Double.parseDouble(m.group(1)) * scale);
            r.put("rate", Double.parseDouble(m.group(3)));
          });
      find(
          REQUESTS,
          line,
          m -> {
            r.put("done", Double.parseDouble(m.group(3)));
            r.put("failed", Double.parseDouble(m.group(5)) + Double.parseDouble(m.group(6)));
          });
    }
    if (!r.containsKey("rate") || !r.containsKey("done") || r.get("done") == 0) {
      throw new IOException("h2load gave no result against " + what + ": " + lines);
    }
    if (r.get("failed") > 0) {
      throw new IOException("h2load saw " + r.get("failed") + " failed requests against " + what);
    }
    return r;
  }

  private static void find(Pattern p, String line, Consumer<Matcher> onMatch) {
    Matcher m = p.matcher(line);
    if (m.find()) {
      onMatch.accept(m);
    }
  }
}
