package dev.strand.e2e.naming;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real DNS server for a test: Debian's dnsmasq, on 127.0.0.1 and a free UDP port, answering only
 * from a hosts file the test writes (no upstream, no /etc/hosts, no config file). {@code .ci/run}
 * installs it (package dnsmasq-base, the binary without the system service).
 */
final class Dnsmasq implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/dnsmasq");
  private final Process process;
  private final int port;
  private final Path hosts;

  private Dnsmasq(Process process, int port, Path hosts) {
    this.process = process;
    this.port = port;
    this.hosts = hosts;
  }

  /** Starts dnsmasq answering each "ip name" line of {@code records}. */
  static Dnsmasq start(Path dir, List<String> records) throws Exception {
    return start(dir, records, List.of());
  }

  /**
   * As {@link #start(Path, List)}, with TXT records too: each {@code txt} entry is {@code
   * name,"text"}, as a {@code txt-record=} line of dnsmasq's config file takes it (quoted, with
   * {@code \"} for a quote: unquoted text is split at commas).
   */
  static Dnsmasq start(Path dir, List<String> records, List<String> txt) throws Exception {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          BINARY + " is missing: install Debian's dnsmasq-base (.ci/run does)");
    }
    Path hosts = dir.resolve("hosts");
    Files.write(hosts, records, StandardCharsets.UTF_8);
    Path conf = dir.resolve("dnsmasq.conf");
    Files.write(conf, txt.stream().map(t -> "txt-record=" + t).toList(), StandardCharsets.UTF_8);
    // dnsmasq listens on UDP and TCP: a port free for one may be taken for the other, or taken by
    // another test's server between the probe and the start. A few tries with a fresh port.
    for (int attempt = 1; ; attempt++) {
      int port = freeUdpPort();
      Path log = dir.resolve("dnsmasq-" + attempt + ".log");
      List<String> command =
          new java.util.ArrayList<>(
              List.of(
                  BINARY.toString(),
                  "--keep-in-foreground",
                  "--conf-file=" + conf,
                  "--port=" + port,
                  "--listen-address=127.0.0.1",
                  "--bind-interfaces",
                  "--no-resolv",
                  "--no-hosts",
                  "--addn-hosts=" + hosts,
                  "--local-ttl=0",
                  "--pid-file=",
                  "--user=root",
                  "--log-facility=-"));
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Dnsmasq dns = new Dnsmasq(p, port, hosts);
      try {
        dns.awaitListening(log);
        return dns;
      } catch (IllegalStateException e) {
        if (attempt >= 5 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
          throw e;
        }
      }
    }
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      return probe.getLocalPort();
    }
  }

  /** Waits (bounded) until dnsmasq says it started, or fails with its output. */
  private void awaitListening(Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      String out = Files.exists(log) ? Files.readString(log) : "";
      if (out.contains("started")) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("dnsmasq exited " + process.exitValue() + ": " + out);
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("dnsmasq did not start: " + Files.readString(log));
  }

  int port() {
    return port;
  }

  /** {@code dns://127.0.0.1:PORT/} + name: a target that asks this server. */
  String target(String nameAndPort) {
    return "dns://127.0.0.1:" + port + "/" + nameAndPort;
  }

  /** Replaces the records and makes dnsmasq read them again (SIGHUP). */
  void setRecords(List<String> records) throws Exception {
    Files.write(hosts, records, StandardCharsets.UTF_8);
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("could not signal dnsmasq");
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
