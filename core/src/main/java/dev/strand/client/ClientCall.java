package dev.strand.client;

import dev.strand.Metadata;
import dev.strand.Status;

/**
 * The client's side of one call: the low-level, event-driven API under every stub. Methods are
 * thread-safe. Listener callbacks arrive one at a time, on the connection's event loop, and must
 * not block: the stub layer hands blocking work to application threads.
 */
public interface ClientCall<ReqT, RespT> {

  /** Starts the call: sends the request headers. Must be called once, before anything else. */
  void start(Listener<RespT> listener, Metadata headers);

  /** Asks for up to {@code n} more response messages. */
  void request(int n);

  /** Queues one request message. Check {@link #isReady()} to avoid buffering without bound. */
  void sendMessage(ReqT message);

  /** No more messages will be sent; responses keep arriving. */
  void halfClose();

  /** Cancels the call: RST_STREAM(CANCEL) goes out and the listener sees CANCELLED. */
  void cancel(String message, Throwable cause);

  boolean isReady();

  /**
   * Whether the messages sent from now on are compressed with the call's encoding (default true).
   * Deliberately not a default method: a wrapper that forgot to pass it on would silently send
   * every message compressed (the interop client once did exactly that).
   */
  void setMessageCompression(boolean enabled);

  /** Receives the events of one call. Every method but onClose has an empty default. */
  abstract class Listener<RespT> {
    public void onHeaders(Metadata headers) {}

    public void onMessage(RespT message) {}

    /** The call is over; called exactly once, last. */
    public abstract void onClose(Status status, Metadata trailers);

    public void onReady() {}
  }
}
