package dev.strand.bench.rest;

import java.util.List;

/** One server reached one way: {@code strand/rest-h1}, {@code armeria/grpc}, ... */
record Target(String server, Protocol protocol) {
  /** Every target, in the order each round runs them (servers interleaved within a round). */
  static final List<Target> ALL =
      List.of(
          new Target("strand", Protocol.GRPC),
          new Target("armeria", Protocol.GRPC),
          new Target("strand", Protocol.REST_H1),
          new Target("armeria", Protocol.REST_H1),
          new Target("javalin", Protocol.REST_H1),
          new Target("strand", Protocol.REST_H2),
          new Target("strand", Protocol.CONNECT_JSON),
          new Target("strand", Protocol.CONNECT_PROTO));

  static final Target STRAND_REST = new Target("strand", Protocol.REST_H1);
  static final Target ARMERIA_REST = new Target("armeria", Protocol.REST_H1);
  static final Target JAVALIN_REST = new Target("javalin", Protocol.REST_H1);

  String label() {
    return server + "/" + protocol.label;
  }

  /** Whether the body is JSON, to compare with what Strand's REST answers. */
  boolean json() {
    return protocol != Protocol.GRPC && protocol != Protocol.CONNECT_PROTO;
  }
}
