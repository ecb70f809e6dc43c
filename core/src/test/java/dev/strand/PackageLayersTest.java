package dev.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The layers docs/ARCHITECTURE.md promises, checked on the compiled classes with jdeps: no package
 * of core depends on a package that depends back on it, and the API packages a user writes against
 * depend on no transport (the transport is found through the SPI).
 */
class PackageLayersTest {
  /** What services and clients are written against. */
  private static final Set<String> API =
      Set.of(
          "dev.strand",
          "dev.strand.server",
          "dev.strand.client",
          "dev.strand.stub",
          "dev.strand.interceptor");

  @Test
  void corePackagesFormNoCycle() throws Exception {
    Map<String, Set<String>> graph = packageGraph();
    List<String> cycle = findCycle(graph);
    assertTrue(
        cycle.isEmpty(),
        "package cycle: " + String.join(" -> ", cycle) + "\nthe graph:\n" + describe(graph));
  }

  @Test
  void apiPackagesDependOnNoTransport() throws Exception {
    Map<String, Set<String>> graph = packageGraph();
    for (String api : API) {
      for (String target : graph.getOrDefault(api, Set.of())) {
        assertTrue(
            !target.startsWith("dev.strand.netty") && !target.startsWith("io.netty"),
            api + " depends on the transport package " + target);
      }
    }
    assertTrue(
        graph.containsKey("dev.strand.server") && graph.containsKey("dev.strand.netty"),
        "jdeps saw too little: " + graph.keySet());
  }

  /**
   * The engine beneath the API that every transport shares (call helpers, client connection
   * management, executors, server connection rules) is transport-free too: an in-process transport
   * reuses it as it is.
   */
  @Test
  void sharedInternalsDependOnNoTransport() throws Exception {
    Map<String, Set<String>> graph = packageGraph();
    List<String> internals =
        graph.keySet().stream().filter(p -> p.startsWith("dev.strand.internal.")).toList();
    // dev.strand.internal.exec uses only the JDK, so jdeps lists no edge of it here.
    assertTrue(
        internals.containsAll(
            List.of(
                "dev.strand.internal.call",
                "dev.strand.internal.client",
                "dev.strand.internal.server")),
        "jdeps saw too little: " + internals);
    for (String internal : internals) {
      for (String target : graph.get(internal)) {
        assertTrue(
            !target.startsWith("dev.strand.netty") && !target.startsWith("io.netty"),
            internal + " depends on the transport package " + target);
      }
    }
  }

  /** Package -> the packages it uses (dev.strand.* and io.netty.*), from jdeps. */
  private static Map<String, Set<String>> packageGraph() throws Exception {
    Path classes =
        Path.of(Status.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    // The classes are a module (module-info): jdeps resolves what it requires from the jars
    // this test runs with.
    String jars =
        java.util.stream.Stream.of(
                System.getProperty("jdk.module.path", ""),
                System.getProperty("java.class.path", ""))
            .flatMap(p -> java.util.Arrays.stream(p.split(java.io.File.pathSeparator)))
            .filter(p -> p.endsWith(".jar"))
            .collect(Collectors.joining(java.io.File.pathSeparator));
    int exit =
        jdeps.run(
            new PrintWriter(out),
            new PrintWriter(out),
            "-verbose:package",
            "-filter:none",
            "--multi-release",
            String.valueOf(Runtime.version().feature()),
            "--module-path",
            jars,
            "-e",
            "dev\\.strand\\..*|dev\\.strand|io\\.netty\\..*",
            classes.toString());
    assertEquals(0, exit, out.toString());
    Map<String, Set<String>> graph = new TreeMap<>();
    for (String line : out.toString().split("\n")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length >= 3
          && parts[1].equals("->")
          && parts[0].startsWith("dev.strand")
          && !parts[0].equals(parts[2])) {
        graph.computeIfAbsent(parts[0], k -> new TreeSet<>()).add(parts[2]);
      }
    }
    return graph;
  }

  /** A cycle as a list of packages, first repeated last; empty if there is none. */
  private static List<String> findCycle(Map<String, Set<String>> graph) {
    Map<String, Integer> state = new TreeMap<>(); // 1 on the path, 2 done
    for (String start : graph.keySet()) {
      Deque<String> path = new ArrayDeque<>();
      List<String> cycle = visit(start, graph, state, path);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    return List.of();
  }

  private static List<String> visit(
      String node, Map<String, Set<String>> graph, Map<String, Integer> state, Deque<String> path) {
    Integer seen = state.get(node);
    if (seen != null && seen == 2) {
      return List.of();
    }
    path.addLast(node);
    if (seen != null) {
      List<String> all = new ArrayList<>(path);
      return all.subList(all.indexOf(node), all.size());
    }
    state.put(node, 1);
    for (String next : graph.getOrDefault(node, Set.of())) {
      List<String> cycle = visit(next, graph, state, path);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    state.put(node, 2);
    path.removeLast();
    return List.of();
  }

  private static String describe(Map<String, Set<String>> graph) {
    return graph.entrySet().stream()
        .map(e -> "  " + e.getKey() + " -> " + e.getValue())
        .collect(Collectors.joining("\n"));
  }
}
