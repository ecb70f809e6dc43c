package dev.strand.web.connect;

import dev.strand.Status;
import dev.strand.netty.headers.HeadersCodec;
import dev.strand.netty.stream.ServerStream;
import dev.strand.web.seam.TranslatingStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

/**
 * A Connect streaming call as the gRPC call engine sees it: a gRPC stream. Connect's envelopes are
 * gRPC's 5-byte prefixes with the same compression flag, so messages pass through both ways
 * untouched; what changes is the edges. The response head gets the Connect content type and its
 * encodings as {@code connect-content-encoding} / {@code connect-accept-encoding}; the trailers
 * become the end-of-stream message (flag 0x02, JSON: {@link ConnectJson#endStream}), the last bytes
 * of a response that is always HTTP 200. A call that fails before its response starts (gRPC's
 * Trailers-Only) gets a head and that message too. Event loop only.
 */
final class StreamingStream extends TranslatingStream {
  private static final int END_STREAM_FLAG = 0x02;
  private static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");

  private final String contentType;

  StreamingStream(ServerStream http, String contentType) {
    super(http);
    this.contentType = contentType;
  }

  @Override
  public ChannelFuture writeHeaders(Http2Headers headers, boolean endOfStream) {
    if (headers.status() != null) {
      http.writeHeaders(head(headers), false);
    }
    if (!endOfStream) {
      return connection().newPromise().setSuccess();
    }
    return http.writeLastData(endStream(headers));
  }

  private Http2Headers head(Http2Headers grpc) {
    Http2Headers head = new DefaultHttp2Headers(false).status(HeadersCodec.STATUS_200);
    head.add(HeadersCodec.CONTENT_TYPE, contentType);
    CharSequence encoding = grpc.get(HeadersCodec.GRPC_ENCODING);
    if (encoding != null) {
      head.add(ConnectHeaders.STREAM_CONTENT_ENCODING, encoding);
    }
    CharSequence accepted = grpc.get(HeadersCodec.GRPC_ACCEPT_ENCODING);
    if (accepted != null) {
      head.add(ConnectHeaders.STREAM_ACCEPT_ENCODING, accepted);
    }
    if (!grpc.contains(GRPC_STATUS)) {
      // Not Trailers-Only, whose metadata is trailers, for the end-of-stream message.
      ConnectHeaders.copyMetadata(grpc, head, "");
    }
    return head;
  }

  private ByteBuf endStream(Http2Headers trailers) {
    Status status = HeadersCodec.statusOf(trailers, false);
    return ConnectJson.envelope(
        END_STREAM_FLAG,
        ConnectJson.endStream(
            status, ConnectHeaders.statusDetails(trailers), ConnectHeaders.metadataOf(trailers)),
        connection().alloc());
  }
}
