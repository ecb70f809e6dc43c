package dev.strand.web.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.testing.Utf8Marshaller;
import dev.strand.web.grpcweb.H2cClient;
import dev.strand.web.grpcweb.H2cClient.Response;
import dev.strand.web.grpcweb.WebFrames;
import dev.strand.web.grpcweb.WebTestServer;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connect's bytes from a bare HTTP/2 client: the streaming envelopes and end-of-stream message,
 * compression both ways, deadlines, trailers as headers, the protocol a handler sees, and each bad
 * input followed by a good call on the same connection.
 */
class ConnectWireTest {
  private static final String UNARY = "grpc.testing.TestService/UnaryCall";
  private static final String STREAM = "grpc.testing.TestService/StreamingOutputCall";
  private static final String TEXT_ECHO = "strand.test.Text/Echo";
  private static final String TEXT_NOTHING = "strand.test.Text/Nothing";

  static WebTestServer server;
  static WebTestServer compressing;
  H2cClient client;

  @BeforeAll
  static void start() throws Exception {
    server =
        new WebTestServer(
            builder -> builder.service(LookupService.definition()).service(textService()));
    compressing =
        new WebTestServer(
            builder -> builder.service(LookupService.definition()).compression("gzip"));
  }

  @AfterAll
  static void stop() {
    server.close();
    compressing.close();
  }

  /** A method whose messages are not protobuf messages: it has no JSON form. */
  private static ServiceDefinition textService() {
    return ServiceDefinition.builder("strand.test.Text")
        .method(
            MethodDescriptor.of(
                MethodType.UNARY, TEXT_ECHO, Utf8Marshaller.INSTANCE, Utf8Marshaller.INSTANCE),
            ServerCalls.unary(text -> "echo " + text))
        .method(
            MethodDescriptor.of(
                MethodType.UNARY, TEXT_NOTHING, Utf8Marshaller.INSTANCE, Utf8Marshaller.INSTANCE),
            (call, headers) -> {
              // A buggy unary handler: it succeeds without answering.
              call.close(dev.strand.Status.OK, new dev.strand.Metadata());
              return new dev.strand.server.ServerCall.Listener<>() {};
            })
        .build();
  }

  @BeforeEach
  void connect() throws Exception {
    client = new H2cClient(server.port());
  }

  @AfterEach
  void disconnect() throws Exception {
    client.close();
  }

  private static Http2Headers post(String method, String contentType, String... headers) {
    Http2Headers request = H2cClient.post(method, contentType).add("connect-protocol-version", "1");
    for (int i = 0; i < headers.length; i += 2) {
      request.set(headers[i], headers[i + 1]);
    }
    return request;
  }

  private static byte[] streamRequest(int... sizes) {
    StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
    for (int size : sizes) {
      request.addResponseParameters(ResponseParameters.newBuilder().setSize(size));
    }
    return WebFrames.message(request.build());
  }

  /** A good unary call on the test's connection: what each bad input must leave working. */
  private void goodCallStillWorks() throws Exception {
    Response response =
        client.send(
            post(UNARY, "application/proto"),
            SimpleRequest.newBuilder().setResponseSize(3).build().toByteArray());
    assertEquals("200", response.status(), response::toString);
    assertEquals(3, SimpleResponse.parseFrom(response.bodyBytes()).getPayload().getBody().size());
  }

  /** The last envelope of a streaming response, as JSON: the end-of-stream message. */
  private static JsonObject endStream(Response response) {
    assertEquals("200", response.status(), response::toString);
    List<WebFrames.Frame> frames = WebFrames.parse(response.bodyBytes());
    WebFrames.Frame last = frames.get(frames.size() - 1);
    assertEquals(0x02, last.flags(), response::toString);
    return JsonParser.parseString(new String(last.payload(), StandardCharsets.UTF_8))
        .getAsJsonObject();
  }

  private static void assertStreamError(Response response, String code, String named) {
    JsonObject error = endStream(response).getAsJsonObject("error");
    assertEquals(code, error.get("code").getAsString(), response::toString);
    assertTrue(
        error.get("message").getAsString().contains(named), () -> error + " should name " + named);
  }

  @Test
  void aServerStreamIsEnvelopesThenTheEndOfStreamMessageWithTrailers() throws Exception {
    Response response =
        client.send(
            post(
                STREAM,
                "application/connect+proto",
                "x-grpc-test-echo-initial",
                "hi",
                "x-grpc-test-echo-trailing-bin",
                "q6ur"),
            streamRequest(3, 70_000));
    assertEquals("application/connect+proto", response.header("content-type"));
    assertEquals("hi", response.header("x-grpc-test-echo-initial"));
    assertNull(response.trailers, "Connect sends no HTTP trailers");
    List<WebFrames.Frame> frames = WebFrames.parse(response.bodyBytes());
    assertEquals(3, frames.size(), response::toString);
    assertEquals(
        70_000,
        StreamingOutputCallResponse.parseFrom(frames.get(1).payload())
            .getPayload()
            .getBody()
            .size());
    assertEquals(
        "{\"metadata\":{\"x-grpc-test-echo-trailing-bin\":[\"q6ur\"]}}",
        new String(frames.get(2).payload(), StandardCharsets.UTF_8));
  }

  @Test
  void unaryTrailersAreTrailerHeaders() throws Exception {
    Response response =
        client.send(
            post(UNARY, "application/json", "x-grpc-test-echo-trailing-bin", "q6ur"),
            "{\"responseSize\":1}".getBytes(StandardCharsets.UTF_8));
    assertEquals("200", response.status(), response::toString);
    assertEquals("q6ur", response.header("trailer-x-grpc-test-echo-trailing-bin"));
    assertNull(response.trailers);
  }

  @Test
  void aHandlerSeesWhichProtocolItsCallCameInOn() throws Exception {
    Response connect =
        client.send(
            post(LookupService.GET, "application/proto"),
            SimpleRequest.getDefaultInstance().toByteArray());
    assertEquals("connect", SimpleResponse.parseFrom(connect.bodyBytes()).getServerId());
    Response grpcWeb =
        client.send(
            H2cClient.post(LookupService.GET, "application/grpc-web+proto"),
            WebFrames.message(SimpleRequest.getDefaultInstance()));
    assertEquals(
        "grpc-web",
        SimpleResponse.parseFrom(WebFrames.parse(grpcWeb.bodyBytes()).get(0).payload())
            .getServerId());
    ManagedChannel channel = Channel.to("127.0.0.1", server.port()).plaintext().build();
    try {
      SimpleResponse grpc =
          ClientCalls.blockingUnary(
              channel,
              LookupService.descriptor(LookupService.GET),
              dev.strand.client.CallOptions.DEFAULT,
              SimpleRequest.getDefaultInstance());
      assertEquals("grpc", grpc.getServerId());
    } finally {
      channel.close();
    }
  }

  @Test
  void gzipBothWaysUnary() throws Exception {
    try (H2cClient gzipClient = new H2cClient(compressing.port())) {
      Response response =
          gzipClient.send(
              post(
                  UNARY,
                  "application/proto",
                  "content-encoding",
                  "gzip",
                  "accept-encoding",
                  "gzip"),
              gzip(SimpleRequest.newBuilder().setResponseSize(5000).build().toByteArray()));
      assertEquals("200", response.status(), response::toString);
      assertEquals("gzip", response.header("content-encoding"));
      assertEquals(
          5000,
          SimpleResponse.parseFrom(gunzip(response.bodyBytes())).getPayload().getBody().size());
      // Without accept-encoding, a client reads only what it sent: identity here.
      Response plain =
          gzipClient.send(
              post(UNARY, "application/proto"),
              SimpleRequest.newBuilder().setResponseSize(5000).build().toByteArray());
      assertNull(plain.header("content-encoding"), plain::toString);
      assertEquals(5000, SimpleResponse.parseFrom(plain.bodyBytes()).getPayload().getBody().size());
    }
  }

  @Test
  void gzipBothWaysStreaming() throws Exception {
    try (H2cClient gzipClient = new H2cClient(compressing.port())) {
      byte[] request = streamRequest(5000);
      byte[] compressed = gzip(java.util.Arrays.copyOfRange(request, 5, request.length));
      Response response =
          gzipClient.send(
              post(
                  STREAM,
                  "application/connect+proto",
                  "connect-content-encoding",
                  "gzip",
                  "connect-accept-encoding",
                  "gzip"),
              WebFrames.frame(1, compressed));
      assertEquals("gzip", response.header("connect-content-encoding"), response::toString);
      WebFrames.Frame message = WebFrames.parse(response.bodyBytes()).get(0);
      assertEquals(1, message.flags());
      assertEquals(
          5000,
          StreamingOutputCallResponse.parseFrom(gunzip(message.payload()))
              .getPayload()
              .getBody()
              .size());
      assertEquals("{}", new String(endStreamBytes(response), StandardCharsets.UTF_8));
    }
  }

  private static byte[] endStreamBytes(Response response) {
    List<WebFrames.Frame> frames = WebFrames.parse(response.bodyBytes());
    return frames.get(frames.size() - 1).payload();
  }

  @Test
  void connectTimeoutMsIsTheCallsDeadline() throws Exception {
    long start = System.nanoTime();
    Response unary =
        client.send(
            post(LookupService.PUT, "application/json", "connect-timeout-ms", "200"),
            "{\"fillUsername\":true,\"responseSize\":5000}".getBytes(StandardCharsets.UTF_8));
    assertEquals("504", unary.status(), unary::toString);
    assertEquals(
        "deadline_exceeded",
        JsonParser.parseString(new String(unary.bodyBytes(), StandardCharsets.UTF_8))
            .getAsJsonObject()
            .get("code")
            .getAsString());
    assertTrue(
        System.nanoTime() - start < 4_000_000_000L, "the deadline, not the handler, ended it");
    Response stream =
        client.send(
            post(STREAM, "application/connect+json", "connect-timeout-ms", "300"),
            WebFrames.frame(
                0,
                "{\"responseParameters\":[{\"size\":1},{\"size\":1,\"intervalUs\":3000000}]}"
                    .getBytes(StandardCharsets.UTF_8)));
    assertStreamError(stream, "deadline_exceeded", "deadline");
    assertEquals(2, WebFrames.parse(stream.bodyBytes()).size(), "one message, then the end");
    goodCallStillWorks();
  }

  @Test
  void streamingBadInputEndsTheStreamWithAnErrorAndTheConnectionCarriesOn() throws Exception {
    assertStreamError(
        client.send(post(STREAM, "application/connect+proto"), new byte[] {0, 0, 0}),
        "internal",
        "");
    goodCallStillWorks();
    assertStreamError(
        client.send(
            post(STREAM, "application/connect+proto"), new byte[] {0, 0x7f, 0, 0, 0, 1, 2, 3}),
        "resource_exhausted",
        "");
    goodCallStillWorks();
    assertStreamError(
        client.send(
            post(STREAM, "application/connect+json"),
            WebFrames.frame(0, "{nope".getBytes(StandardCharsets.UTF_8))),
        "invalid_argument",
        "invalid JSON for grpc.testing.StreamingOutputCallRequest");
    goodCallStillWorks();
    Response unknownEncoding =
        client.send(
            post(STREAM, "application/connect+proto", "connect-content-encoding", "br"),
            streamRequest(1));
    assertStreamError(unknownEncoding, "unimplemented", "'br' is not supported");
    assertTrue(unknownEncoding.header("connect-accept-encoding").contains("gzip"));
    goodCallStillWorks();
    assertStreamError(
        client.send(
            post(STREAM, "application/connect+proto", "connect-protocol-version", "7"),
            streamRequest(1)),
        "invalid_argument",
        "connect-protocol-version must be 1");
    goodCallStillWorks();
    assertStreamError(
        client.send(
            post(STREAM, "application/connect+proto", "connect-timeout-ms", "1.5"),
            streamRequest(1)),
        "invalid_argument",
        "connect-timeout-ms");
    goodCallStillWorks();
    Response wrongShape = client.send(post(STREAM, "application/proto"), new byte[0]);
    assertEquals("415", wrongShape.status(), wrongShape::toString);
    goodCallStillWorks();
    Response unknownCodec = client.send(post(STREAM, "application/connect+xml"), streamRequest(1));
    assertEquals("415", unknownCodec.status(), unknownCodec::toString);
    goodCallStillWorks();
  }

  @Test
  void unaryBadInputOverHttp2LeavesTheConnectionWorking() throws Exception {
    Response oversized =
        client.send(
            post(UNARY, "application/proto"),
            new byte[WebTestServer.MAX_MESSAGE_SIZE / 2],
            new byte[WebTestServer.MAX_MESSAGE_SIZE / 2],
            new byte[16]);
    assertEquals("429", oversized.status(), oversized::toString);
    goodCallStillWorks();
    Response truncated = client.send(post(UNARY, "application/proto"), new byte[] {0x0a, 0x10, 1});
    assertEquals(
        "400", truncated.status(), "a request that does not parse is the client's mistake");
    assertTrue(
        new String(truncated.bodyBytes(), StandardCharsets.UTF_8)
            .startsWith("{\"code\":\"invalid_argument\",\"message\":\"cannot parse request"),
        truncated::toString);
    goodCallStillWorks();
    Response getSideEffects =
        client.send(
            new io.netty.handler.codec.http2.DefaultHttp2Headers()
                .method("GET")
                .scheme("http")
                .authority("127.0.0.1")
                .path("/" + LookupService.PUT + "?encoding=proto&message="));
    assertEquals("405", getSideEffects.status(), getSideEffects::toString);
    goodCallStillWorks();
    Response emptyGzip =
        client.send(post(UNARY, "application/proto", "content-encoding", "gzip"), new byte[0]);
    assertEquals("200", emptyGzip.status(), "an empty body is not decompressed");
    goodCallStillWorks();
  }

  @Test
  void aMethodWhoseMessagesAreNotProtobufHasNoJsonForm() throws Exception {
    Response json =
        client.send(post(TEXT_ECHO, "application/json"), "\"hi\"".getBytes(StandardCharsets.UTF_8));
    assertEquals("415", json.status(), json::toString);
    assertTrue(
        new String(json.bodyBytes(), StandardCharsets.UTF_8).contains("has no JSON form"),
        json::toString);
    Response proto =
        client.send(post(TEXT_ECHO, "application/proto"), "hi".getBytes(StandardCharsets.UTF_8));
    assertEquals("200", proto.status(), proto::toString);
    assertEquals("echo hi", new String(proto.bodyBytes(), StandardCharsets.UTF_8));
    goodCallStillWorks();
  }

  @Test
  void aUnaryHandlerThatSucceedsWithoutAnAnswerIsAnInternalError() throws Exception {
    Response response =
        client.send(post(TEXT_NOTHING, "application/proto"), "hi".getBytes(StandardCharsets.UTF_8));
    assertEquals("500", response.status(), response::toString);
    assertEquals(
        "{\"code\":\"internal\",\"message\":\"the unary method sent no response message\"}",
        new String(response.bodyBytes(), StandardCharsets.UTF_8));
    goodCallStillWorks();
  }

  private static byte[] gzip(byte[] bytes) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] bytes) throws Exception {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    }
  }
}
