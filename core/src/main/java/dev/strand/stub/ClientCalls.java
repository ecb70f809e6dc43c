package dev.strand.stub;

import dev.strand.Deadline;
import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ClientCall;
import dev.strand.client.ForwardingClientCall;
import dev.strand.client.ForwardingClientCallListener;
import dev.strand.internal.call.EventLoopThread;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Client calls of every shape and style, built on {@link ClientCall}. Generated clients use these.
 */
public final class ClientCalls {
  private ClientCalls() {}

  public static <ReqT, RespT> RespT blockingUnary(
      Channel channel, MethodDescriptor<ReqT, RespT> method, CallOptions options, ReqT request) {
    ClientCall<ReqT, RespT> call = newCall(channel, method, options);
    CompletableFuture<RespT> response = startUnary(call, request, new Metadata());
    return await(response, reason -> call.cancel(reason, null));
  }

  /** A unary call whose response arrives in a future; cancelling the future cancels the call. */
  public static <ReqT, RespT> CompletableFuture<RespT> futureUnary(
      Channel channel, MethodDescriptor<ReqT, RespT> method, CallOptions options, ReqT request) {
    ClientCall<ReqT, RespT> call = newCall(channel, method, options);
    CompletableFuture<RespT> response = startUnary(call, request, new Metadata());
    response.whenComplete(
        (r, t) -> {
          if (t instanceof CancellationException) {
            call.cancel("future was cancelled", null);
          }
        });
    return response;
  }

  /** A server-streaming call read by blocking iteration. Close it to stop early. */
  public static <ReqT, RespT> StreamSource<RespT> serverStream(
      Channel channel, MethodDescriptor<ReqT, RespT> method, CallOptions options, ReqT request) {
    BlockingClientCall<ReqT, RespT> call =
        new BlockingClientCall<>(newCall(channel, method, options)).start(new Metadata());
    call.send(request);
    call.halfClose();
    return call;
  }

  public static <ReqT, RespT> ClientStreamCall<ReqT, RespT> clientStream(
      Channel channel, MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    return new BlockingClientCall<>(newCall(channel, method, options)).start(new Metadata());
  }

  public static <ReqT, RespT> BidiStreamCall<ReqT, RespT> bidiStream(
      Channel channel, MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    return new BlockingClientCall<>(newCall(channel, method, options)).start(new Metadata());
  }

  /** A server-streaming call whose responses go to an observer (called on the event loop). */
  public static <ReqT, RespT> void asyncServerStream(
      Channel channel,
      MethodDescriptor<ReqT, RespT> method,
      CallOptions options,
      ReqT request,
      StreamObserver<RespT> responses) {
    ObserverClientCall<ReqT, RespT> call =
        new ObserverClientCall<>(newCall(channel, method, options), responses);
    call.start();
    call.onNext(request);
    call.onCompleted();
  }

  /** A client-streaming or bidi call driven by observers; returns the request observer. */
  public static <ReqT, RespT> CallStreamObserver<ReqT> asyncStream(
      Channel channel,
      MethodDescriptor<ReqT, RespT> method,
      CallOptions options,
      StreamObserver<RespT> responses) {
    ObserverClientCall<ReqT, RespT> call =
        new ObserverClientCall<>(newCall(channel, method, options), responses);
    call.start();
    return call;
  }

  /**
   * Creates a call that inherits from the call this thread is serving, if any: the smaller of the
   * two deadlines, and cancellation when the served call is cancelled.
   */
  static <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      Channel channel, MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    ServerContext serving = ServerContext.currentOrNull();
    if (serving == null) {
      return channel.newCall(method, options);
    }
    CallOptions inheriting =
        serving.deadline() == null
            ? options
            : options.withParentDeadline(
                Deadline.earliest(options.parentDeadline(), serving.deadline()));
    ClientCall<ReqT, RespT> call = channel.newCall(method, inheriting);
    ServerContext.CancelRegistration propagation =
        serving.onCancel(() -> call.cancel("the call being served was cancelled", null));
    return new ForwardingClientCall<>(call) {
      @Override
      public void start(Listener<RespT> listener, Metadata headers) {
        super.start(
            new ForwardingClientCallListener<>(listener) {
              @Override
              public void onClose(Status status, Metadata trailers) {
                // Over: the served call's cancellation no longer concerns it.
                propagation.close();
                super.onClose(status, trailers);
              }
            },
            headers);
      }
    };
  }

  static <ReqT, RespT> CompletableFuture<RespT> startUnary(
      ClientCall<ReqT, RespT> call, ReqT request, Metadata headers) {
    CompletableFuture<RespT> future = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<>() {
          private RespT response;

          @Override
          public void onMessage(RespT message) {
            if (response != null) {
              future.completeExceptionally(Cardinality.responses(2).asException());
              call.cancel("server sent more than one response to a unary call", null);
              return;
            }
            response = message;
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            if (!status.isOk()) {
              future.completeExceptionally(new StatusException(status, trailers));
            } else if (response == null) {
              future.completeExceptionally(Cardinality.responses(0).asException());
            } else {
              future.complete(response);
            }
          }
        },
        headers);
    call.request(2);
    call.sendMessage(request);
    call.halfClose();
    return future;
  }

  /** Waits for a call's future; on interrupt cancels the call, so no work is left behind. */
  static <T> T await(CompletableFuture<T> future, Consumer<String> cancel) {
    if (!future.isDone() && EventLoopThread.current()) {
      cancel.accept("blocking call made on an event loop");
      EventLoopGuard.checkMayBlock("a blocking call");
    }
    try {
      return future.get();
    } catch (InterruptedException e) {
      cancel.accept("thread interrupted while waiting for the response");
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").withCause(e).asException();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof StatusException se) {
        // Rethrow a fresh exception so the caller's stack trace shows where it waited.
        StatusException fresh = new StatusException(se.status(), se.trailers());
        fresh.addSuppressed(se);
        throw fresh;
      }
      throw Status.UNKNOWN.withCause(cause).asException();
    }
  }
}
