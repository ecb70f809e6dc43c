package dev.strand.web.client;

import dev.strand.Metadata;
import dev.strand.Status;

/** Where a protocol's response reader puts what it read, in order, on the call's serial thread. */
interface ResponseSink {
  /** The response headers, as metadata. */
  void headers(Metadata headers);

  /** One response message, uncompressed; {@code wireSize} is what it took on the wire. */
  void message(byte[] message, int wireSize);

  /** The call's outcome from the server; the reader calls it once, after every message. */
  void close(Status status, Metadata trailers);

  /** The response cannot be read any further: the call ends with {@code status} at once. */
  void fail(Status status);
}
