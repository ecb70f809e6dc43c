package dev.strand.web.client;

import dev.strand.MethodDescriptor;
import dev.strand.wire.Codec;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;

/**
 * One web protocol as a client speaks it over HTTP/1.1: what a call's request carries, and how its
 * response reads. A call sends one message (unary and server streaming are what these protocols
 * carry over HTTP/1.1), so a request is complete when the call half-closes.
 */
interface WebWire {
  /**
   * Adds the protocol's headers and the body holding {@code message} to {@code request}: the
   * content type, the timeout ({@code timeoutNanos}, or none when negative), compression ({@code
   * codec}, or none when null).
   */
  void writeRequest(
      HttpRequest.Builder request,
      MethodDescriptor<?, ?> method,
      byte[] message,
      long timeoutNanos,
      Codec codec);

  /** A reader for the response to such a request, given its status code and headers. */
  ResponseReader reader(
      MethodDescriptor<?, ?> method,
      int httpStatus,
      HttpHeaders headers,
      Limits limits,
      ResponseSink sink);

  /** What a response may hold. */
  record Limits(int maxMessageSize) {}
}
