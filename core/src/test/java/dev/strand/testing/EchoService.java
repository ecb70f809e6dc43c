package dev.strand.testing;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.Status;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import dev.strand.stub.StreamSink;
import dev.strand.stub.StreamSource;
import java.util.ArrayList;
import java.util.List;

/**
 * A string service with every call shape, for protocol tests. Requests starting with "fail:" make
 * the handler throw a StatusException with that text; "boom" throws a plain exception.
 */
public final class EchoService {
  public static final String NAME = "strand.test.Echo";
  public static final MethodDescriptor<String, String> UNARY = method(MethodType.UNARY, "Unary");
  public static final MethodDescriptor<String, String> SERVER_STREAM =
      method(MethodType.SERVER_STREAMING, "ServerStream");
  public static final MethodDescriptor<String, String> CLIENT_STREAM =
      method(MethodType.CLIENT_STREAMING, "ClientStream");
  public static final MethodDescriptor<String, String> BIDI =
      method(MethodType.BIDI_STREAMING, "Bidi");

  private EchoService() {}

  private static MethodDescriptor<String, String> method(MethodType type, String name) {
    return MethodDescriptor.of(
        type, NAME + "/" + name, Utf8Marshaller.INSTANCE, Utf8Marshaller.INSTANCE);
  }

  public static ServiceDefinition definition() {
    return ServiceDefinition.builder(NAME)
        .method(UNARY, ServerCalls.unary(EchoService::unary))
        .method(SERVER_STREAM, ServerCalls.serverStreaming(EchoService::serverStream))
        .method(CLIENT_STREAM, ServerCalls.clientStreaming(EchoService::clientStream))
        .method(BIDI, ServerCalls.bidiStreaming(EchoService::bidi))
        .build();
  }

  static String unary(String request) {
    ServerContext ctx = ServerContext.current();
    Metadata headers = ctx.requestHeaders();
    // Echo metadata back: x-echo-* as headers, and a trailer.
    for (String key : headers.keys()) {
      if (key.startsWith("x-echo")) {
        if (Metadata.isBinaryKey(key)) {
          for (byte[] v : headers.getAllBinary(key)) {
            ctx.responseHeaders().addBinary(key, v);
            ctx.responseTrailers().addBinary(key, v);
          }
        } else {
          for (String v : headers.getAll(key)) {
            ctx.responseHeaders().add(key, v);
            ctx.responseTrailers().add(key, v);
          }
        }
      }
    }
    return respond(request);
  }

  static String respond(String request) {
    if (request.startsWith("fail:")) {
      String[] parts = request.split(":", 3);
      Metadata trailers = new Metadata().add("x-failure", "yes");
      throw Status.fromCodeValue(Integer.parseInt(parts[1]))
          .withDescription(parts[2])
          .asException(trailers);
    }
    if (request.equals("boom")) {
      throw new IllegalStateException("secret internal detail");
    }
    if (request.startsWith("sleep:")) {
      long ms = Long.parseLong(request.substring(6));
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return "echo:" + request;
  }

  /** "n:text" streams text-0 .. text-(n-1). */
  static void serverStream(String request, StreamSink<String> out) {
    String[] parts = request.split(":", 2);
    int n = Integer.parseInt(parts[0]);
    for (int i = 0; i < n; i++) {
      out.send(parts[1] + "-" + i);
    }
  }

  static String clientStream(StreamSource<String> in) {
    List<String> all = new ArrayList<>();
    for (String s : in) {
      all.add(s);
    }
    return String.join(",", all);
  }

  static void bidi(StreamSource<String> in, StreamSink<String> out) {
    for (String s : in) {
      out.send(respond(s));
    }
  }
}
