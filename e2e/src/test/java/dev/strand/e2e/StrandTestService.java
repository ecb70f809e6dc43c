package dev.strand.e2e;

import com.google.protobuf.ByteString;
import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import dev.strand.stub.StreamSink;
import dev.strand.stub.StreamSource;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * grpc.testing.TestService on Strand, as interop-test-descriptions.md describes it: payload sizes,
 * response_status echo, interval_us, and the echo-metadata keys. Beyond the spec, for these tests:
 *
 * <ul>
 *   <li>every value of every {@code x-strand-echo-*} request header comes back both as a response
 *       header and as a trailer, in order;
 *   <li>{@code fill_username} answers with the subject of the client's TLS certificate, read
 *       through {@code ServerContext.info().sslSession()}; {@code hostname} always carries the
 *       {@code :authority} the call arrived with;
 *   <li>a request whose payload body is {@link #THROW} makes the handler throw a plain exception;
 *   <li>a call sent with a {@link #TAG_HEADER} header reports what its handler saw ("started",
 *       "cancelled", "finished:CODE") to {@link #events}, so a test can wait for it.
 * </ul>
 */
final class StrandTestService {
  static final String ECHO_INITIAL = "x-grpc-test-echo-initial";
  static final String ECHO_TRAILING_BIN = "x-grpc-test-echo-trailing-bin";
  static final String ECHO_PREFIX = "x-strand-echo-";
  static final String TAG_HEADER = "x-strand-tag";
  static final ByteString THROW = ByteString.copyFromUtf8("throw");

  /** The message of the exception THROW provokes: it must never reach the client. */
  static final String SECRET = "secret internal detail";

  final HandlerEvents events = new HandlerEvents();

  ServiceDefinition definition() {
    return ServiceDefinition.builder(TestServiceDescriptors.SERVICE)
        .method(TestServiceDescriptors.EMPTY_CALL, ServerCalls.unary(this::emptyCall))
        .method(TestServiceDescriptors.UNARY_CALL, ServerCalls.unary(this::unaryCall))
        .method(
            TestServiceDescriptors.STREAMING_OUTPUT_CALL,
            ServerCalls.serverStreaming(this::streamingOutputCall))
        .method(
            TestServiceDescriptors.STREAMING_INPUT_CALL,
            ServerCalls.clientStreaming(this::streamingInputCall))
        .method(
            TestServiceDescriptors.FULL_DUPLEX_CALL,
            ServerCalls.bidiStreaming(this::fullDuplexCall))
        .method(
            TestServiceDescriptors.HALF_DUPLEX_CALL,
            ServerCalls.bidiStreaming(this::halfDuplexCall))
        .build();
  }

  // ---- handlers ----

  private Empty emptyCall(Empty request) {
    return traced(
        () -> {
          echoMetadata();
          return Empty.getDefaultInstance();
        });
  }

  private SimpleResponse unaryCall(SimpleRequest request) {
    return traced(
        () -> {
          echoMetadata();
          if (request.getPayload().getBody().equals(THROW)) {
            throw new IllegalStateException(SECRET);
          }
          throwIfRequested(request.hasResponseStatus(), request.getResponseStatus());
          SimpleResponse.Builder response =
              SimpleResponse.newBuilder()
                  .setPayload(payload(request.getResponseSize()))
                  .setHostname(String.valueOf(ServerContext.current().info().authority()));
          if (request.getFillUsername()) {
            response.setUsername(peerSubject());
          }
          return response.build();
        });
  }

  private void streamingOutputCall(
      StreamingOutputCallRequest request, StreamSink<StreamingOutputCallResponse> responses) {
    traced(
        () -> {
          echoMetadata();
          respond(request, responses);
          throwIfRequested(request.hasResponseStatus(), request.getResponseStatus());
          return null;
        });
  }

  private StreamingInputCallResponse streamingInputCall(
      StreamSource<StreamingInputCallRequest> requests) {
    return traced(
        () -> {
          echoMetadata();
          int total = 0;
          for (StreamingInputCallRequest r : requests) {
            total += r.getPayload().getBody().size();
          }
          return StreamingInputCallResponse.newBuilder().setAggregatedPayloadSize(total).build();
        });
  }

  private void fullDuplexCall(
      StreamSource<StreamingOutputCallRequest> requests,
      StreamSink<StreamingOutputCallResponse> responses) {
    traced(
        () -> {
          echoMetadata();
          for (StreamingOutputCallRequest r : requests) {
            // Echo Status: the call ends here, later requests are not processed.
            throwIfRequested(r.hasResponseStatus(), r.getResponseStatus());
            respond(r, responses);
          }
          return null;
        });
  }

  private void halfDuplexCall(
      StreamSource<StreamingOutputCallRequest> requests,
      StreamSink<StreamingOutputCallResponse> responses) {
    traced(
        () -> {
          echoMetadata();
          List<StreamingOutputCallRequest> all = new ArrayList<>();
          for (StreamingOutputCallRequest r : requests) {
            all.add(r);
          }
          for (StreamingOutputCallRequest r : all) {
            throwIfRequested(r.hasResponseStatus(), r.getResponseStatus());
            respond(r, responses);
          }
          return null;
        });
  }

  // ---- helpers ----

  private static void respond(
      StreamingOutputCallRequest request, StreamSink<StreamingOutputCallResponse> responses)
      throws InterruptedException {
    for (ResponseParameters p : request.getResponseParametersList()) {
      if (p.getIntervalUs() > 0) {
        TimeUnit.MICROSECONDS.sleep(p.getIntervalUs());
      }
      responses.send(
          StreamingOutputCallResponse.newBuilder().setPayload(payload(p.getSize())).build());
    }
  }

  private static Payload payload(int size) {
    return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
  }

  private static void throwIfRequested(boolean has, EchoStatus status) {
    if (has && status.getCode() != 0) {
      throw Status.fromCodeValue(status.getCode())
          .withDescription(status.getMessage())
          .asException();
    }
  }

  /** The spec's two echo keys, plus every x-strand-echo-* key both as header and trailer. */
  private static void echoMetadata() {
    ServerContext ctx = ServerContext.current();
    Metadata in = ctx.requestHeaders();
    for (String v : in.getAll(ECHO_INITIAL)) {
      ctx.responseHeaders().add(ECHO_INITIAL, v);
    }
    for (byte[] v : in.getAllBinary(ECHO_TRAILING_BIN)) {
      ctx.responseTrailers().addBinary(ECHO_TRAILING_BIN, v);
    }
    for (String key : in.keys()) {
      if (!key.startsWith(ECHO_PREFIX)) {
        continue;
      }
      if (Metadata.isBinaryKey(key)) {
        for (byte[] v : in.getAllBinary(key)) {
          ctx.responseHeaders().addBinary(key, v);
          ctx.responseTrailers().addBinary(key, v);
        }
      } else {
        for (String v : in.getAll(key)) {
          ctx.responseHeaders().add(key, v);
          ctx.responseTrailers().add(key, v);
        }
      }
    }
  }

  /** The subject of the client's certificate, or "" without TLS or without a client cert. */
  private static String peerSubject() {
    SSLSession session = ServerContext.current().info().sslSession();
    if (session == null) {
      return "";
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return ((X509Certificate) chain[0]).getSubjectX500Principal().getName();
    } catch (SSLPeerUnverifiedException e) {
      return "";
    }
  }

  private interface Body<T> {
    T run() throws Exception;
  }

  /** Runs a handler body, reporting its life to the events of its tag, if it has one. */
  private <T> T traced(Body<T> body) {
    ServerContext ctx = ServerContext.current();
    String tag = ctx.requestHeaders().get(TAG_HEADER);
    if (tag != null) {
      ctx.onCancel(() -> events.record(tag, "cancelled"));
      events.record(tag, "started");
    }
    String outcome = "finished:threw";
    try {
      T result = body.run();
      outcome = "finished:OK";
      return result;
    } catch (StatusException e) {
      // Also what a send on a cancelled call throws: "finished:CANCELLED".
      outcome = "finished:" + e.code();
      throw e;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      if (tag != null) {
        events.record(tag, outcome);
      }
    }
  }
}
