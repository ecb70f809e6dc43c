package dev.strand.e2e.connections;

import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import dev.strand.stub.StreamSink;
import dev.strand.stub.StreamSource;
import dev.strand.testing.Utf8Marshaller;
import java.util.List;

/**
 * The payload shapes of the interop cases (interop-test-descriptions.md) as a string service, so
 * that a raw HTTP/2 client can ask for them without protobuf. A response of size n is n ASCII
 * bytes. Unary answers "n" with one (large_unary), or "n gzip" with one compressed
 * (server_compressed_unary); ServerStream answers "a,b,c" with one per size (server_streaming);
 * PingPong answers each request "n" (padded with spaces to the request's size) with one
 * (ping_pong).
 */
final class InteropShapes {
  static final String SERVICE = "strand.test.InteropShapes";
  static final MethodDescriptor<String, String> UNARY = method(MethodType.UNARY, "Unary");
  static final MethodDescriptor<String, String> SERVER_STREAM =
      method(MethodType.SERVER_STREAMING, "ServerStream");
  static final MethodDescriptor<String, String> PING_PONG =
      method(MethodType.BIDI_STREAMING, "PingPong");

  static final int LARGE = 314_159;
  static final List<Integer> STREAM_SIZES = List.of(31_415, 9, 2_653, 58_979);
  static final List<Integer> PING_PONG_REQUEST_SIZES = List.of(27_182, 8, 1_828, 45_904);

  private InteropShapes() {}

  static ServiceDefinition definition() {
    return ServiceDefinition.builder(SERVICE)
        .method(UNARY, ServerCalls.unary(InteropShapes::unary))
        .method(SERVER_STREAM, ServerCalls.serverStreaming(InteropShapes::serverStream))
        .method(PING_PONG, ServerCalls.bidiStreaming(InteropShapes::pingPong))
        .build();
  }

  private static String unary(String request) {
    String[] parts = request.split(" ");
    if (parts.length > 1 && parts[1].equals("gzip")) {
      ServerContext.current().setCompression("gzip");
    }
    return body(Integer.parseInt(parts[0]));
  }

  private static void serverStream(String request, StreamSink<String> out) {
    for (String size : request.split(",")) {
      out.send(body(Integer.parseInt(size)));
    }
  }

  private static void pingPong(StreamSource<String> in, StreamSink<String> out) {
    for (String request : in) {
      out.send(body(Integer.parseInt(request.trim())));
    }
  }

  private static String body(int size) {
    return "0".repeat(size);
  }

  private static MethodDescriptor<String, String> method(MethodType type, String name) {
    return MethodDescriptor.of(
        type, SERVICE + "/" + name, Utf8Marshaller.INSTANCE, Utf8Marshaller.INSTANCE);
  }
}
