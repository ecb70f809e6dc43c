package dev.strand.web.client;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.wire.Codec;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A response body of envelopes, as gRPC-Web's and Connect's streaming responses are: splits the
 * pieces into envelopes, decompresses flagged ones, and stops at the first failure. Subclasses say
 * what each envelope means.
 */
abstract class EnvelopedBody implements ResponseReader {
  static final int COMPRESSED = 0x01;

  final ResponseSink sink;
  private final int limit;
  private final Codec codec;
  private final String encoding;
  private final Envelopes envelopes;
  private boolean failed;
  private Status outcome;
  private Metadata outcomeTrailers;

  /** {@code codec} reads flagged envelopes; null when the response named no {@code encoding}. */
  EnvelopedBody(ResponseSink sink, int limit, Codec codec, String encoding) {
    this.sink = sink;
    this.limit = limit;
    this.codec = codec;
    this.encoding = encoding;
    // Control envelopes (trailers, end of stream) are bounded by the same limit as messages.
    this.envelopes = new Envelopes(limit);
  }

  /** One whole envelope, its payload decompressed if it was flagged. */
  abstract void envelope(int flags, byte[] payload, int wireSize);

  /** Why the body is incomplete when it ends before its last envelope. */
  abstract String missingEnd();

  /** The last envelope said how the call ended; anything after it is an error. */
  final void ended(Status status, Metadata trailers) {
    outcome = status;
    outcomeTrailers = trailers;
  }

  /** True once the last envelope arrived. */
  final boolean isEnded() {
    return outcome != null;
  }

  @Override
  public final void onBody(ByteBuffer piece) {
    while (!failed && piece.hasRemaining()) {
      Envelopes.Envelope next;
      try {
        next = envelopes.next(piece);
      } catch (Envelopes.TooLargeException e) {
        fail(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()));
        return;
      }
      if (next == null) {
        return;
      }
      byte[] payload = next.payload();
      if ((next.flags() & COMPRESSED) != 0) {
        payload = decompress(payload);
        if (payload == null) {
          return;
        }
      }
      envelope(next.flags(), payload, next.payload().length);
    }
  }

  private byte[] decompress(byte[] payload) {
    if (codec == null) {
      fail(
          Status.INTERNAL.withDescription(
              "compressed message with "
                  + (encoding == null ? "no encoding named" : "unknown encoding " + encoding)));
      return null;
    }
    try {
      return WebHeaders.decompress(codec, payload, limit);
    } catch (WebHeaders.TooLargeException e) {
      fail(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()));
    } catch (IOException e) {
      fail(Status.INTERNAL.withDescription("could not decompress a message").withCause(e));
    }
    return null;
  }

  @Override
  public final void onEnd() {
    if (failed) {
      return;
    }
    if (!envelopes.atBoundary()) {
      fail(Status.INTERNAL.withDescription("response ended inside a message"));
      return;
    }
    if (outcome != null) {
      sink.close(outcome, outcomeTrailers);
    } else {
      fail(Status.INTERNAL.withDescription(missingEnd()));
    }
  }

  final void fail(Status failure) {
    failed = true;
    sink.fail(failure);
  }
}
