package dev.strand.e2e;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
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
import io.grpc.testing.integration.TestServiceGrpc;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * grpc.testing.TestService on grpc-java: the reference peer for Strand clients. Same contract as
 * {@link StrandTestService}: spec behaviour, x-strand-echo-* echoed as headers and trailers, {@code
 * hostname} = the :authority received, {@code fill_username} = the client certificate's subject,
 * and tagged calls report to {@link #events}. A unary request whose payload body is {@link #HANG}
 * is never answered.
 */
final class GrpcJavaTestService extends TestServiceGrpc.TestServiceImplBase {
  static final ByteString HANG = ByteString.copyFromUtf8("hang");
  static final Metadata.Key<String> TAG =
      Metadata.Key.of(StrandTestService.TAG_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> TAG_CTX = Context.key("strand-tag");
  private static final Context.Key<String> AUTHORITY_CTX = Context.key("authority");
  private static final Context.Key<String> PEER_CTX = Context.key("peer-subject");
  private static final Metadata.Key<String> ECHO_INITIAL =
      Metadata.Key.of(StrandTestService.ECHO_INITIAL, Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<byte[]> ECHO_TRAILING_BIN =
      Metadata.Key.of(StrandTestService.ECHO_TRAILING_BIN, Metadata.BINARY_BYTE_MARSHALLER);

  final HandlerEvents events = new HandlerEvents();

  /** The service with the metadata echo and tagging in front of it. */
  ServerServiceDefinition definition() {
    return ServerInterceptors.intercept(this, new EchoAndTag());
  }

  @Override
  public void emptyCall(Empty request, StreamObserver<Empty> responses) {
    responses.onNext(Empty.getDefaultInstance());
    responses.onCompleted();
  }

  @Override
  public void unaryCall(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
    if (request.getPayload().getBody().equals(HANG)) {
      String tag = TAG_CTX.get();
      // The client's grpc-timeout reached us if the call's context has a deadline.
      String event =
          Context.current().getDeadline() != null
              ? "cancelled, had deadline"
              : "cancelled, had no deadline";
      ((ServerCallStreamObserver<SimpleResponse>) responses)
          .setOnCancelHandler(
              () -> {
                if (tag != null) {
                  events.record(tag, event);
                }
              });
      return; // never answers: the client's deadline has to end the call
    }
    Status status = requestedStatus(request.hasResponseStatus(), request.getResponseStatus());
    if (status != null) {
      responses.onError(status.asRuntimeException());
      return;
    }
    SimpleResponse.Builder response =
        SimpleResponse.newBuilder()
            .setPayload(payload(request.getResponseSize()))
            .setHostname(String.valueOf(AUTHORITY_CTX.get()));
    if (request.getFillUsername()) {
      response.setUsername(PEER_CTX.get());
    }
    responses.onNext(response.build());
    responses.onCompleted();
  }

  @Override
  public void streamingOutputCall(
      StreamingOutputCallRequest request, StreamObserver<StreamingOutputCallResponse> responses) {
    if (!respond(request, responses)) {
      return;
    }
    Status status = requestedStatus(request.hasResponseStatus(), request.getResponseStatus());
    if (status != null) {
      responses.onError(status.asRuntimeException());
    } else {
      responses.onCompleted();
    }
  }

  @Override
  public StreamObserver<StreamingInputCallRequest> streamingInputCall(
      StreamObserver<StreamingInputCallResponse> responses) {
    return new StreamObserver<>() {
      private int total;

      @Override
      public void onNext(StreamingInputCallRequest value) {
        total += value.getPayload().getBody().size();
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responses.onNext(
            StreamingInputCallResponse.newBuilder().setAggregatedPayloadSize(total).build());
        responses.onCompleted();
      }
    };
  }

  @Override
  public StreamObserver<StreamingOutputCallRequest> fullDuplexCall(
      StreamObserver<StreamingOutputCallResponse> responses) {
    return new StreamObserver<>() {
      private boolean done;

      @Override
      public void onNext(StreamingOutputCallRequest request) {
        if (done) {
          return;
        }
        Status status = requestedStatus(request.hasResponseStatus(), request.getResponseStatus());
        if (status != null) {
          done = true;
          responses.onError(status.asRuntimeException());
          return;
        }
        done = !respond(request, responses);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        if (!done) {
          responses.onCompleted();
        }
      }
    };
  }

  @Override
  public StreamObserver<StreamingOutputCallRequest> halfDuplexCall(
      StreamObserver<StreamingOutputCallResponse> responses) {
    List<StreamingOutputCallRequest> all = new ArrayList<>();
    return new StreamObserver<>() {
      @Override
      public void onNext(StreamingOutputCallRequest request) {
        all.add(request);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        for (StreamingOutputCallRequest r : all) {
          if (!respond(r, responses)) {
            return;
          }
        }
        responses.onCompleted();
      }
    };
  }

  /** Sends the responses a request asks for; false if the call failed meanwhile. */
  private static boolean respond(
      StreamingOutputCallRequest request, StreamObserver<StreamingOutputCallResponse> responses) {
    for (ResponseParameters p : request.getResponseParametersList()) {
      if (Context.current().isCancelled()) {
        return false;
      }
      try {
        if (p.getIntervalUs() > 0) {
          TimeUnit.MICROSECONDS.sleep(p.getIntervalUs());
        }
        responses.onNext(
            StreamingOutputCallResponse.newBuilder().setPayload(payload(p.getSize())).build());
      } catch (InterruptedException | RuntimeException e) {
        // Cancelled by the client: onNext throws; nothing more to do.
        return false;
      }
    }
    return true;
  }

  private static Payload payload(int size) {
    return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
  }

  private static Status requestedStatus(boolean has, EchoStatus status) {
    return has && status.getCode() != 0
        ? Status.fromCodeValue(status.getCode()).withDescription(status.getMessage())
        : null;
  }

  /**
   * Echoes metadata the way the interop server does (an interceptor around the call), and puts the
   * call's tag and :authority where the handlers can read them.
   */
  private final class EchoAndTag implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call,
        Metadata requestHeaders,
        ServerCallHandler<ReqT, RespT> next) {
      String tag = requestHeaders.get(TAG);
      ServerCall<ReqT, RespT> echoing =
          new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata headers) {
              copyAll(requestHeaders, ECHO_INITIAL, headers);
              copyPrefixed(requestHeaders, headers);
              super.sendHeaders(headers);
            }

            @Override
            public void close(Status status, Metadata trailers) {
              copyAll(requestHeaders, ECHO_TRAILING_BIN, trailers);
              copyPrefixed(requestHeaders, trailers);
              if (tag != null) {
                events.record(tag, "finished:" + status.getCode());
              }
              super.close(status, trailers);
            }
          };
      if (tag != null) {
        events.record(tag, "started");
      }
      Context ctx =
          Context.current()
              .withValue(TAG_CTX, tag)
              .withValue(AUTHORITY_CTX, call.getAuthority())
              .withValue(
                  PEER_CTX, peerSubject(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)));
      if (tag != null) {
        // Listener callbacks wait while a handler runs, but the call's context is cancelled at
        // once, from the transport: the prompt signal that the client cancelled.
        ctx.addListener(c -> events.record(tag, "cancelled"), Runnable::run);
      }
      return io.grpc.Contexts.interceptCall(ctx, echoing, requestHeaders, next);
    }
  }

  /** The subject of the client's certificate, or "" without one. */
  private static String peerSubject(SSLSession session) {
    if (session == null) {
      return "";
    }
    try {
      return ((X509Certificate) session.getPeerCertificates()[0])
          .getSubjectX500Principal()
          .getName();
    } catch (SSLPeerUnverifiedException e) {
      return "";
    }
  }

  private static <T> void copyAll(Metadata from, Metadata.Key<T> key, Metadata to) {
    Iterable<T> values = from.getAll(key);
    if (values != null) {
      for (T v : values) {
        to.put(key, v);
      }
    }
  }

  private static void copyPrefixed(Metadata from, Metadata to) {
    for (String name : from.keys()) {
      if (!name.startsWith(StrandTestService.ECHO_PREFIX)) {
        continue;
      }
      if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        copyAll(from, Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER), to);
      } else {
        copyAll(from, Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), to);
      }
    }
  }
}
