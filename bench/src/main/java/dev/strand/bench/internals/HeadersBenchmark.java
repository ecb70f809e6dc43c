package dev.strand.bench.internals;

import dev.strand.Metadata;
import dev.strand.internal.wire.StrandVersion;
import dev.strand.netty.headers.HeadersCodec;
import dev.strand.netty.headers.InboundHeadersDecoder;
import dev.strand.netty.headers.SharedHeaderBlocks;
import io.grpc.InternalStatus;
import io.grpc.netty.shaded.io.grpc.netty.GrpcJavaInternals;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Header blocks of one unary call, built and HPACK-coded the way each framework does it, on a warm
 * connection (HPACK's dynamic table already holds the call's headers, as it does from the second
 * call on). Strand's request block is assembled as NettyClientCall.writeStart does (that method is
 * private); grpc-java's comes from its own Utils.convertClientHeaders.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HeadersBenchmark {
  private static final String PATH = "/grpc.testing.BenchmarkService/UnaryCall";
  private static final String AUTHORITY = "127.0.0.1:50051";

  private final DefaultHttp2HeadersEncoder strandEncoder = new DefaultHttp2HeadersEncoder();
  private final InboundHeadersDecoder strandDecoder = new InboundHeadersDecoder(8192);
  private ByteBuf strandSteadyBlock;

  private final io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder
      grpcEncoder =
          new io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder();
  private io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2HeadersDecoder grpcDecoder;
  private io.grpc.netty.shaded.io.netty.buffer.ByteBuf grpcSteadyBlock;
  private final io.grpc.netty.shaded.io.netty.util.AsciiString grpcPath =
      io.grpc.netty.shaded.io.netty.util.AsciiString.of(PATH);
  private final io.grpc.netty.shaded.io.netty.util.AsciiString grpcAuthority =
      io.grpc.netty.shaded.io.netty.util.AsciiString.of(AUTHORITY);
  private final io.grpc.netty.shaded.io.netty.util.AsciiString grpcUserAgent =
      io.grpc.netty.shaded.io.netty.util.AsciiString.of("grpc-java-netty/1.85.1");
  private static final io.grpc.Metadata.Key<String> ACCEPT_ENCODING =
      io.grpc.Metadata.Key.of("grpc-accept-encoding", io.grpc.Metadata.ASCII_STRING_MARSHALLER);

  @Setup(Level.Trial)
  public void setup() throws Exception {
    // First call on the connection: fills both sides' dynamic tables.
    ByteBuf first = PooledByteBufAllocator.DEFAULT.buffer();
    strandEncoder.encodeHeaders(3, strandRequestHeaders(), first);
    strandDecoder.decodeHeaders(3, first);
    first.release();
    strandSteadyBlock = PooledByteBufAllocator.DEFAULT.buffer();
    strandEncoder.encodeHeaders(5, strandRequestHeaders(), strandSteadyBlock);

    grpcDecoder = GrpcJavaInternals.serverHeadersDecoder();
    io.grpc.netty.shaded.io.netty.buffer.ByteBuf gFirst =
        io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer();
    grpcEncoder.encodeHeaders(3, grpcRequestHeaders(), gFirst);
    grpcDecoder.decodeHeaders(3, gFirst);
    gFirst.release();
    grpcSteadyBlock = io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer();
    grpcEncoder.encodeHeaders(5, grpcRequestHeaders(), grpcSteadyBlock);
    // Warm the response side too.
    strandEncodeResponse();
    grpcJavaEncodeResponse();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    strandSteadyBlock.release();
    grpcSteadyBlock.release();
  }

  private static final AsciiString STRAND_PATH = new AsciiString(PATH);
  private static final AsciiString STRAND_AUTHORITY = new AsciiString(AUTHORITY);
  private static final AsciiString STRAND_USER_AGENT = new AsciiString(StrandVersion.userAgent());

  /** What NettyClientCall sends: the same method, with the channel's cached header values. */
  private static Http2Headers strandRequestHeaders() {
    return HeadersCodec.requestHeaders(
        HeadersCodec.HTTP,
        STRAND_PATH,
        STRAND_AUTHORITY,
        STRAND_USER_AGENT,
        null,
        null,
        new Metadata());
  }

  private io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers grpcRequestHeaders() {
    io.grpc.Metadata md = new io.grpc.Metadata();
    md.put(ACCEPT_ENCODING, "gzip");
    return GrpcJavaInternals.clientHeaders(
        md,
        io.grpc.netty.shaded.io.netty.util.AsciiString.of("http"),
        grpcPath,
        grpcAuthority,
        io.grpc.netty.shaded.io.netty.util.AsciiString.of("POST"),
        grpcUserAgent);
  }

  @Benchmark
  public int strandEncodeRequest() throws Http2Exception {
    ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
    strandEncoder.encodeHeaders(7, strandRequestHeaders(), out);
    int n = out.readableBytes();
    out.release();
    return n;
  }

  @Benchmark
  public int grpcJavaEncodeRequest() throws Exception {
    io.grpc.netty.shaded.io.netty.buffer.ByteBuf out =
        io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer();
    grpcEncoder.encodeHeaders(7, grpcRequestHeaders(), out);
    int n = out.readableBytes();
    out.release();
    return n;
  }

  /** HPACK decode plus what the server makes of the block before the call starts. */
  @Benchmark
  public Metadata strandDecodeRequest() throws Http2Exception {
    Http2Headers headers = strandDecoder.decodeHeaders(7, strandSteadyBlock.duplicate());
    if (!HeadersCodec.POST.contentEqualsIgnoreCase(headers.method())) {
      throw new IllegalStateException();
    }
    headers.get(HeadersCodec.CONTENT_TYPE);
    CharSequence path = headers.path();
    String fullName = path.subSequence(1, path.length()).toString();
    headers.get(HeadersCodec.GRPC_TIMEOUT);
    headers.get(HeadersCodec.GRPC_ENCODING);
    Metadata md = HeadersCodec.toMetadata(headers);
    CharSequence accepted = headers.get(HeadersCodec.GRPC_ACCEPT_ENCODING);
    String authority = headers.authority().toString();
    return fullName.length() + authority.length() + (accepted == null ? 0 : 1) > 0 ? md : null;
  }

  @Benchmark
  public io.grpc.Metadata grpcJavaDecodeRequest() throws Exception {
    io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers headers =
        grpcDecoder.decodeHeaders(7, grpcSteadyBlock.duplicate());
    if (!"POST".contentEquals(headers.method())) {
      throw new IllegalStateException();
    }
    headers.get(io.grpc.netty.shaded.io.netty.util.AsciiString.of("content-type"));
    String fullName = headers.path().toString().substring(1);
    io.grpc.Metadata md = GrpcJavaInternals.serverReceivedHeaders(headers);
    String authority = headers.authority().toString();
    return fullName.length() + authority.length() > 0 ? md : null;
  }

  /** The response headers and the OK trailers of a unary call, as GrpcServerCall sends them. */
  @Benchmark
  public int strandEncodeResponse() throws Http2Exception {
    ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
    strandEncoder.encodeHeaders(7, SharedHeaderBlocks.plainResponseHeaders(), out);
    strandEncoder.encodeHeaders(7, SharedHeaderBlocks.okTrailers(), out);
    int n = out.readableBytes();
    out.release();
    return n;
  }

  @Benchmark
  public int grpcJavaEncodeResponse() throws Exception {
    io.grpc.netty.shaded.io.netty.buffer.ByteBuf out =
        io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer();
    io.grpc.Metadata md = new io.grpc.Metadata();
    md.put(ACCEPT_ENCODING, "gzip");
    grpcEncoder.encodeHeaders(7, GrpcJavaInternals.serverHeaders(md), out);
    io.grpc.Metadata trailers = new io.grpc.Metadata();
    trailers.put(InternalStatus.CODE_KEY, io.grpc.Status.OK);
    grpcEncoder.encodeHeaders(7, GrpcJavaInternals.trailers(trailers, true), out);
    int n = out.readableBytes();
    out.release();
    return n;
  }
}
