package dev.strand.interop;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.stub.ServerContext;
import dev.strand.stub.StreamSink;
import dev.strand.stub.StreamSource;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.PayloadType;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * grpc.testing.TestService as interop-test-descriptions.md's "Server" section describes it, written
 * as plain blocking handlers. Response compression is switched on by {@link
 * CompressionInterceptor}, which must wrap this service.
 */
public final class TestServiceImpl implements TestService {
  static final String ECHO_INITIAL = "x-grpc-test-echo-initial";
  static final String ECHO_TRAILING = "x-grpc-test-echo-trailing-bin";

  @Override
  public Empty emptyCall(Empty request) {
    echoMetadata();
    return Empty.getDefaultInstance();
  }

  @Override
  public SimpleResponse unaryCall(SimpleRequest request) {
    echoMetadata();
    CompressionInterceptor.checkExpectedCompression(
        request, request.hasExpectCompressed(), request.getExpectCompressed().getValue());
    checkEchoStatus(request.hasResponseStatus() ? request.getResponseStatus() : null);
    checkPayloadType(request.getResponseType());
    return SimpleResponse.newBuilder()
        .setPayload(Payloads.zeros(request.getResponseSize()))
        .build();
  }

  @Override
  public SimpleResponse cacheableUnaryCall(SimpleRequest request) {
    echoMetadata();
    // A proxy in between may cache this for a minute; the payload says when it was made.
    ServerContext.current().responseHeaders().put("cache-control", "max-age=60, public");
    return SimpleResponse.newBuilder()
        .setPayload(
            Payload.newBuilder()
                .setBody(
                    com.google.protobuf.ByteString.copyFromUtf8(Long.toString(System.nanoTime()))))
        .build();
  }

  @Override
  public void streamingOutputCall(
      StreamingOutputCallRequest request, StreamSink<StreamingOutputCallResponse> responses) {
    echoMetadata();
    respond(request, responses);
  }

  @Override
  public StreamingInputCallResponse streamingInputCall(
      StreamSource<StreamingInputCallRequest> requests) {
    echoMetadata();
    int total = 0;
    for (StreamingInputCallRequest request : requests) {
      CompressionInterceptor.checkExpectedCompression(
          request, request.hasExpectCompressed(), request.getExpectCompressed().getValue());
      total += request.getPayload().getBody().size();
    }
    return StreamingInputCallResponse.newBuilder().setAggregatedPayloadSize(total).build();
  }

  @Override
  public void fullDuplexCall(
      StreamSource<StreamingOutputCallRequest> requests,
      StreamSink<StreamingOutputCallResponse> responses) {
    echoMetadata();
    for (StreamingOutputCallRequest request : requests) {
      respond(request, responses);
    }
  }

  @Override
  public void halfDuplexCall(
      StreamSource<StreamingOutputCallRequest> requests,
      StreamSink<StreamingOutputCallResponse> responses) {
    echoMetadata();
    List<StreamingOutputCallRequest> all = new ArrayList<>();
    for (StreamingOutputCallRequest request : requests) {
      all.add(request);
    }
    for (StreamingOutputCallRequest request : all) {
      respond(request, responses);
    }
  }

  @Override
  public Empty unimplementedCall(Empty request) {
    throw Status.UNIMPLEMENTED
        .withDescription("grpc.testing.TestService/UnimplementedCall is unimplemented on purpose")
        .asException();
  }

  /** One response per ResponseParameters, each after its interval; or the requested status. */
  private static void respond(
      StreamingOutputCallRequest request, StreamSink<StreamingOutputCallResponse> responses) {
    checkEchoStatus(request.hasResponseStatus() ? request.getResponseStatus() : null);
    checkPayloadType(request.getResponseType());
    for (ResponseParameters params : request.getResponseParametersList()) {
      sleepMicros(params.getIntervalUs());
      // Per message, as server_compressed_streaming asks: compressed, then not.
      ServerContext.current()
          .setMessageCompression(!params.hasCompressed() || params.getCompressed().getValue());
      responses.send(
          StreamingOutputCallResponse.newBuilder()
              .setPayload(Payloads.zeros(params.getSize()))
              .build());
    }
  }

  /** Echo Metadata: the initial key back as a header, the trailing one as a trailer. */
  private static void echoMetadata() {
    ServerContext ctx = ServerContext.current();
    Metadata in = ctx.requestHeaders();
    String initial = in.get(ECHO_INITIAL);
    if (initial != null) {
      ctx.responseHeaders().put(ECHO_INITIAL, initial);
    }
    byte[] trailing = in.getBinary(ECHO_TRAILING);
    if (trailing != null) {
      ctx.responseTrailers().remove(ECHO_TRAILING);
      ctx.responseTrailers().addBinary(ECHO_TRAILING, trailing);
    }
  }

  /** Echo Status: a request carrying response_status ends the call with it. */
  private static void checkEchoStatus(EchoStatus echo) {
    if (echo != null && echo.getCode() != 0) {
      throw new StatusException(
          Status.fromCodeValue(echo.getCode()).withDescription(echo.getMessage()));
    }
  }

  private static void checkPayloadType(PayloadType type) {
    if (type != PayloadType.COMPRESSABLE) {
      throw invalidArgument("unsupported response_type " + type);
    }
  }

  private static StatusException invalidArgument(String description) {
    return Status.INVALID_ARGUMENT.withDescription(description).asException();
  }

  private static void sleepMicros(int micros) {
    if (micros <= 0) {
      return;
    }
    try {
      TimeUnit.MICROSECONDS.sleep(micros);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").withCause(e).asException();
    }
  }
}
