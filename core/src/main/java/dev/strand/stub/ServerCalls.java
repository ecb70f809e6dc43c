package dev.strand.stub;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.server.ServerCall;
import dev.strand.server.ServerCallHandler;

/**
 * Adapts handler code of every style to the event-driven {@link ServerCall} API. Blocking handlers
 * run on the call's blocking executor; async ones run on the event loop.
 */
public final class ServerCalls {
  /**
   * A handler may return before the client finishes sending: its status still goes out, and the
   * requests it did not read are dropped (the stream is reset after the trailers).
   */
  private static final Runnable IGNORE_UNREAD = () -> {};

  private ServerCalls() {}

  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> unary(
      ServerMethods.Unary<ReqT, RespT> method) {
    return (call, headers) -> {
      BlockingServerCall<ReqT, RespT> b = new BlockingServerCall<>(call, headers);
      return new SingleRequestListener<>(
          call, request -> b.runOnExecutor(() -> b.sendLast(method.invoke(request))), b);
    };
  }

  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> serverStreaming(
      ServerMethods.ServerStreaming<ReqT, RespT> method) {
    return (call, headers) -> {
      BlockingServerCall<ReqT, RespT> b = new BlockingServerCall<>(call, headers);
      return new SingleRequestListener<>(
          call, request -> b.runOnExecutor(() -> method.invoke(request, b)), b);
    };
  }

  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> clientStreaming(
      ServerMethods.ClientStreaming<ReqT, RespT> method) {
    return (call, headers) -> {
      BlockingServerCall<ReqT, RespT> b = new BlockingServerCall<>(call, headers);
      MessageQueue<ReqT> requests = new MessageQueue<>(call::request, IGNORE_UNREAD);
      requests.start();
      b.runOnExecutor(
          () -> {
            try (requests) {
              b.sendLast(method.invoke(requests));
            }
          });
      return new StreamingRequestListener<>(requests, b);
    };
  }

  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> bidiStreaming(
      ServerMethods.BidiStreaming<ReqT, RespT> method) {
    return (call, headers) -> {
      BlockingServerCall<ReqT, RespT> b = new BlockingServerCall<>(call, headers);
      MessageQueue<ReqT> requests = new MessageQueue<>(call::request, IGNORE_UNREAD);
      requests.start();
      b.runOnExecutor(
          () -> {
            try (requests) {
              method.invoke(requests, b);
            }
          });
      return new StreamingRequestListener<>(requests, b);
    };
  }

  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> asyncUnary(
      ServerMethods.AsyncUnary<ReqT, RespT> method) {
    return (call, headers) -> {
      ObserverCall<ReqT, RespT> responses = new ObserverCall<>(call);
      return new SingleRequestListener<ReqT>(
          call,
          request -> {
            try {
              method
                  .invoke(request)
                  .whenComplete(
                      (response, error) -> {
                        if (error != null) {
                          responses.onError(error);
                        } else {
                          responses.onNext(response);
                          responses.onCompleted();
                        }
                      });
            } catch (Throwable t) {
              responses.onError(t);
            }
          },
          responses);
    };
  }

  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> asyncServerStreaming(
      ServerMethods.AsyncServerStreaming<ReqT, RespT> method) {
    return (call, headers) -> {
      ObserverCall<ReqT, RespT> responses = new ObserverCall<>(call);
      return new SingleRequestListener<ReqT>(
          call,
          request -> {
            try {
              method.invoke(request, responses);
            } catch (Throwable t) {
              responses.onError(t);
            }
          },
          responses);
    };
  }

  /** For client-streaming and bidi methods alike. */
  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> asyncStreaming(
      ServerMethods.AsyncStreaming<ReqT, RespT> method) {
    return (call, headers) -> {
      ObserverCall<ReqT, RespT> responses = new ObserverCall<>(call);
      StreamObserver<ReqT> requests;
      try {
        requests = method.invoke(responses);
      } catch (Throwable t) {
        responses.onError(t);
        return new ServerCall.Listener<>() {};
      }
      call.request(1);
      return new ObserverRequestListener<>(call, requests, responses);
    };
  }

  /** Collects the single request of unary and server-streaming calls. */
  private static final class SingleRequestListener<ReqT> extends ServerCall.Listener<ReqT> {
    private final ServerCall<ReqT, ?> call;
    private final java.util.function.Consumer<ReqT> onRequest;
    private final CallEvents events;
    private ReqT request;
    private boolean failed;

    SingleRequestListener(
        ServerCall<ReqT, ?> call, java.util.function.Consumer<ReqT> onRequest, CallEvents events) {
      this.call = call;
      this.onRequest = onRequest;
      this.events = events;
      // Two, not one: a second message is a protocol error we want to see.
      call.request(2);
    }

    @Override
    public void onMessage(ReqT message) {
      if (request != null) {
        failed = true;
        call.close(Cardinality.requests(call.method().type(), 2), new Metadata());
        return;
      }
      request = message;
    }

    @Override
    public void onHalfClose() {
      if (failed) {
        return;
      }
      if (request == null) {
        call.close(Cardinality.requests(call.method().type(), 0), new Metadata());
        return;
      }
      ReqT r = request;
      request = null;
      onRequest.accept(r);
    }

    @Override
    public void onCancel() {
      events.onCancel();
    }

    @Override
    public void onComplete() {
      events.onComplete();
    }

    @Override
    public void onReady() {
      events.onReady();
    }
  }

  /** Feeds the request stream of blocking client-streaming and bidi calls. */
  private static final class StreamingRequestListener<ReqT> extends ServerCall.Listener<ReqT> {
    private final MessageQueue<ReqT> requests;
    private final CallEvents events;

    StreamingRequestListener(MessageQueue<ReqT> requests, CallEvents events) {
      this.requests = requests;
      this.events = events;
    }

    @Override
    public void onMessage(ReqT message) {
      requests.offer(message);
    }

    @Override
    public void onHalfClose() {
      requests.finish(Status.OK, null);
    }

    @Override
    public void onCancel() {
      requests.finish(Status.CANCELLED.withDescription("call was cancelled"), null);
      events.onCancel();
    }

    @Override
    public void onComplete() {
      events.onComplete();
    }

    @Override
    public void onReady() {
      events.onReady();
    }
  }

  /** Feeds the request observer of async streaming calls, one message at a time. */
  private static final class ObserverRequestListener<ReqT> extends ServerCall.Listener<ReqT> {
    private final ServerCall<ReqT, ?> call;
    private final StreamObserver<ReqT> requests;
    private final CallEvents events;

    ObserverRequestListener(
        ServerCall<ReqT, ?> call, StreamObserver<ReqT> requests, CallEvents events) {
      this.call = call;
      this.requests = requests;
      this.events = events;
    }

    @Override
    public void onMessage(ReqT message) {
      requests.onNext(message);
      call.request(1);
    }

    @Override
    public void onHalfClose() {
      requests.onCompleted();
    }

    @Override
    public void onCancel() {
      events.onCancel();
      requests.onError(Status.CANCELLED.withDescription("call was cancelled").asException());
    }

    @Override
    public void onComplete() {
      events.onComplete();
    }

    @Override
    public void onReady() {
      events.onReady();
    }
  }
}
