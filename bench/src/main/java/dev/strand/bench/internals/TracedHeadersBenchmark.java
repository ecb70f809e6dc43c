package dev.strand.bench.internals;

import dev.strand.Metadata;
import dev.strand.internal.wire.StrandVersion;
import dev.strand.netty.headers.BlockWithMetadata;
import dev.strand.netty.headers.HeadersCodec;
import dev.strand.netty.headers.InboundHeadersDecoder;
import dev.strand.netty.headers.SharedHeaders;
import dev.strand.netty.headers.UnindexedHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The request header block of a traced call, a new {@code traceparent} every call, from the
 * client's block to the server's Metadata on one warm connection: {@code block} says how the block
 * is made (a copy of the plain headers with the metadata added, or the shared plain block with the
 * metadata after it, {@link BlockWithMetadata}); {@code indexing} whether HPACK indexes the trace
 * context ({@code indexed}) or sends it never-indexed ({@link UnindexedHeaders}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TracedHeadersBenchmark {
  private static final AsciiString PATH =
      new AsciiString("/grpc.testing.BenchmarkService/UnaryCall");
  private static final AsciiString AUTHORITY = new AsciiString("127.0.0.1:50051");
  private static final AsciiString USER_AGENT = new AsciiString(StrandVersion.userAgent());
  private static final int CONTEXTS = 4096;

  /** {@code untraced}: the plain block alone, no trace context: the baseline. */
  @Param({"copy", "shared", "untraced"})
  public String block;

  @Param({"indexed", "never"})
  public String indexing;

  private DefaultHttp2HeadersEncoder encoder;
  private final InboundHeadersDecoder decoder = new InboundHeadersDecoder(8192);
  private final SharedHeaders plain =
      SharedHeaders.of(
          HeadersCodec.requestHeaders(
              HeadersCodec.HTTP, PATH, AUTHORITY, USER_AGENT, null, null, null));
  private final String[] traceparents = new String[CONTEXTS];
  private int next;
  private int streamId = 1;

  @Setup(Level.Trial)
  public void setup() throws Http2Exception {
    encoder =
        indexing.equals("never")
            ? new DefaultHttp2HeadersEncoder(UnindexedHeaders.INSTANCE)
            : new DefaultHttp2HeadersEncoder();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < CONTEXTS; i++) {
      traceparents[i] =
          String.format(
              Locale.ROOT,
              "00-%016x%016x-%016x-01",
              random.nextLong(),
              random.nextLong(),
              random.nextLong());
    }
    for (int i = 0; i < 100; i++) {
      tracedRequest(); // the connection is warm: its dynamic tables hold what repeats
    }
  }

  @Benchmark
  public Metadata tracedRequest() throws Http2Exception {
    Metadata sent = new Metadata().put("traceparent", traceparents[next++ & (CONTEXTS - 1)]);
    Http2Headers headers =
        switch (block) {
          case "shared" -> BlockWithMetadata.of(plain, sent);
          case "copy" ->
              HeadersCodec.requestHeaders(
                  HeadersCodec.HTTP, PATH, AUTHORITY, USER_AGENT, null, null, sent);
          default -> plain;
        };
    HeadersCodec.listSize(headers);
    ByteBuf wire = PooledByteBufAllocator.DEFAULT.buffer();
    try {
      streamId += 2;
      encoder.encodeHeaders(streamId, headers, wire);
      return HeadersCodec.toMetadata(decoder.decodeHeaders(streamId, wire));
    } finally {
      wire.release();
    }
  }
}
