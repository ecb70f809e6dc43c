package dev.strand.netty.headers;

import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.util.AsciiString;

/**
 * The headers HPACK sends as never-indexed literals: trace contexts, whose value is new on every
 * call. Indexing one gains nothing, as no later block repeats it, and costs a lot: the encoder
 * hashes the value and evicts an older entry for it, the decoder inserts and evicts as well, and
 * each such entry pushes a header the connection does repeat (its path, authority, user agent) out
 * of the 4 KiB dynamic table sooner. Never-indexed rather than merely not indexed because that is
 * the one choice Netty's encoder offers per header; a proxy keeps it too, which suits a value no
 * later block repeats.
 */
public final class UnindexedHeaders implements Http2HeadersEncoder.SensitivityDetector {
  public static final UnindexedHeaders INSTANCE = new UnindexedHeaders();

  /** W3C, grpc-trace-bin (A72), B3 single and multi, Jaeger, OpenTracing, AWS X-Ray. */
  private static final AsciiString[] NAMES = {
    AsciiString.cached("traceparent"),
    AsciiString.cached("grpc-trace-bin"),
    AsciiString.cached("b3"),
    AsciiString.cached("x-b3-traceid"),
    AsciiString.cached("x-b3-spanid"),
    AsciiString.cached("x-b3-parentspanid"),
    AsciiString.cached("uber-trace-id"),
    AsciiString.cached("ot-tracer-traceid"),
    AsciiString.cached("ot-tracer-spanid"),
    AsciiString.cached("x-amzn-trace-id"),
  };

  private UnindexedHeaders() {}

  /** Called for every header of every block sent, so a length check rules most out at once. */
  @Override
  public boolean isSensitive(CharSequence name, CharSequence value) {
    int length = name.length();
    if (length < 2 || length > 17 || name.charAt(0) == ':') {
      return false;
    }
    for (AsciiString unindexed : NAMES) {
      if (unindexed.length() == length && unindexed.contentEquals(name)) {
        return true;
      }
    }
    return false;
  }
}
