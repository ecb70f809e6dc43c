package dev.strand.stub;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.ClientCall;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;

/**
 * One client call driven from application threads: the listener only fills a queue, completes a
 * future and opens the ready gate, so it never blocks the event loop.
 */
final class BlockingClientCall<ReqT, RespT> extends ClientCall.Listener<RespT>
    implements ClientStreamCall<ReqT, RespT>, BidiStreamCall<ReqT, RespT> {
  private final ClientCall<ReqT, RespT> call;
  private final MessageQueue<RespT> responses;
  private final ReadyGate gate;
  private final CompletableFuture<RespT> single = new CompletableFuture<>();
  private volatile Metadata headers;
  private RespT firstResponse;
  private int responseCount;
  private boolean halfClosed;

  BlockingClientCall(ClientCall<ReqT, RespT> call) {
    this.call = call;
    this.responses =
        new MessageQueue<>(
            call::request, () -> call.cancel("response stream closed before its end", null));
    this.gate = new ReadyGate(call::isReady);
  }

  BlockingClientCall<ReqT, RespT> start(Metadata requestHeaders) {
    call.start(this, requestHeaders);
    responses.start();
    return this;
  }

  // Listener side: runs on the event loop.

  @Override
  public void onHeaders(Metadata headers) {
    this.headers = headers;
  }

  @Override
  public void onMessage(RespT message) {
    if (responseCount++ == 0) {
      firstResponse = message;
    }
    responses.offer(message);
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    responses.finish(status, trailers);
    gate.fail(
        status.isOk()
            ? Status.FAILED_PRECONDITION.withDescription("call already finished")
            : status);
    if (!status.isOk()) {
      single.completeExceptionally(new StatusException(status, trailers));
    } else if (responseCount != 1) {
      // Read only by client-streaming calls, which take exactly one response.
      single.completeExceptionally(Cardinality.responses(responseCount).asException());
    } else {
      single.complete(firstResponse);
    }
  }

  @Override
  public void onReady() {
    gate.signal();
  }

  // Application side.

  @Override
  public void send(ReqT message) {
    synchronized (this) {
      if (halfClosed) {
        throw new IllegalStateException("send after halfClose");
      }
    }
    gate.awaitReady();
    call.sendMessage(message);
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    call.setMessageCompression(enabled);
  }

  @Override
  public boolean isReady() {
    return call.isReady();
  }

  @Override
  public synchronized void halfClose() {
    if (!halfClosed) {
      halfClosed = true;
      call.halfClose();
    }
  }

  @Override
  public RespT finish() {
    return ClientCalls.await(finishAsync(), this::cancel);
  }

  @Override
  public CompletableFuture<RespT> finishAsync() {
    halfClose();
    return single;
  }

  @Override
  public void cancel(String reason) {
    call.cancel(reason, null);
  }

  @Override
  public RespT next() {
    return responses.next();
  }

  @Override
  public Iterator<RespT> iterator() {
    return responses.iterator();
  }

  @Override
  public void close() {
    responses.close();
  }

  /** The response headers, once they have arrived; null before. */
  Metadata headers() {
    return headers;
  }
}
