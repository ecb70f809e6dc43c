package dev.strand.bench.rest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.strand.bench.GrpcFrames;
import dev.strand.bench.H2load;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One request as bytes on disk, ready for h2load ({@code -d FILE} and {@code -H}) and for curl: the
 * path, the body (none for a GET) and the headers its protocol needs.
 */
record Call(String path, Path body, List<String> headers, boolean http1, boolean grpc) {
  private static final String SERVICE = "/strand.bench.rest.v1.Catalog/";

  /** {@code scenario} as {@code protocol} sends it; body files go to {@code dir}. */
  static Call of(Protocol protocol, Scenario scenario, CatalogData data, Path dir)
      throws IOException {
    Message request = scenario.request(data);
    String name = protocol.label + "-" + scenario.label;
    return switch (protocol) {
      case GRPC -> grpc(SERVICE + scenario.rpc, request, dir.resolve(name + ".grpc"));
      case REST_H1, REST_H2 ->
          scenario.restPost
              ? new Call(
                  scenario.restPath,
                  write(dir.resolve(name + ".json"), json(scenario.restBody(data))),
                  List.of("content-type: application/json"),
                  protocol.http1,
                  false)
              : new Call(scenario.restPath, null, List.of(), protocol.http1, false);
      case CONNECT_JSON ->
          new Call(
              SERVICE + scenario.rpc,
              write(dir.resolve(name + ".json"), json(request)),
              List.of("content-type: application/json", "connect-protocol-version: 1"),
              true,
              false);
      case CONNECT_PROTO ->
          new Call(
              SERVICE + scenario.rpc,
              write(dir.resolve(name + ".bin"), request.toByteArray()),
              List.of("content-type: application/proto", "connect-protocol-version: 1"),
              true,
              false);
    };
  }

  /** A gRPC call over HTTP/2: the message with its 5-byte prefix, and gRPC's headers. */
  static Call grpc(String path, Message request, Path file) throws IOException {
    return new Call(
        path,
        write(file, GrpcFrames.frame(request.toByteArray())),
        List.of("content-type: application/grpc", "te: trailers"),
        false,
        true);
  }

  /** WatchItem as a gRPC server stream of {@code count} updates. */
  static Call grpcWatch(int count, Path dir) throws IOException {
    WatchItemRequest request =
        WatchItemRequest.newBuilder().setId(CatalogData.sampleId()).setCount(count).build();
    return grpc(SERVICE + "WatchItem", request, dir.resolve("watch-" + count + ".grpc"));
  }

  /** WatchItem transcoded: a GET answered with NDJSON, over HTTP/1.1. */
  static Call ndjsonWatch(int count) {
    return new Call(
        "/v1/items/" + CatalogData.sampleId() + ":watch?count=" + count,
        null,
        List.of(),
        true,
        false);
  }

  /** h2load set up for this call against {@code port}. */
  H2load h2load(String executable, int port) {
    H2load run = new H2load(executable, "http://127.0.0.1:" + port + path).http1(http1);
    if (body != null) {
      run.body(body);
    }
    headers.forEach(run::header);
    return run;
  }

  private static String json(Message m) throws InvalidProtocolBufferException {
    return JsonFormat.printer().omittingInsignificantWhitespace().print(m);
  }

  private static Path write(Path file, String text) throws IOException {
    return write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  private static Path write(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes);
    return file;
  }
}
