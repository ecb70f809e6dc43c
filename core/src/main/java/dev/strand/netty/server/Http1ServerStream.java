package dev.strand.netty.server;

import dev.strand.netty.stream.DataSent;
import dev.strand.netty.stream.ServerStream;
import dev.strand.netty.stream.ServerStreamListener;
import dev.strand.netty.stream.StreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Map;

/**
 * A {@link ServerStream} on one HTTP/1.1 request and its response. The response's first header
 * block is its status line and headers; bytes follow as chunks (the length is not known ahead); a
 * last header block or last bytes end it, as the last chunk with its trailers. HTTP/1.1 cannot
 * reset one exchange: a reset after the whole response only stops reading the request body (the
 * connection stays up), one before it closes the connection. Event loop only.
 */
final class Http1ServerStream implements ServerStream {
  private final Http1ServerHandler handler;
  private final boolean keepAlive;
  private ServerStreamListener listener;
  private boolean responseStarted;
  private boolean responseEnded;
  private boolean requestEnded;
  private boolean closed;

  /** Request bytes handed to the listener and not yet given back. */
  private long heldBytes;

  Http1ServerStream(Http1ServerHandler handler, boolean keepAlive) {
    this.handler = handler;
    this.keepAlive = keepAlive;
  }

  private ChannelHandlerContext ctx() {
    return handler.ctx();
  }

  @Override
  public StreamConnection connection() {
    return handler;
  }

  @Override
  public void listen(ServerStreamListener listener) {
    this.listener = listener;
  }

  @Override
  public ChannelFuture writeHeaders(Http2Headers headers, boolean endOfStream) {
    if (responseEnded) {
      return ctx().newFailedFuture(new IllegalStateException("the response has ended"));
    }
    if (!responseStarted) {
      responseStarted = true;
      HttpResponse response =
          endOfStream
              ? new DefaultFullHttpResponse(
                  HttpVersion.HTTP_1_1, Http1ServerHandler.status(headers.status()))
              : new DefaultHttpResponse(
                  HttpVersion.HTTP_1_1, Http1ServerHandler.status(headers.status()));
      copyFields(headers, response.headers());
      if (endOfStream) {
        // RFC 9110 8.6: a 204 has no body, and says nothing about its length.
        if (response.status().code() != 204) {
          response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        }
      } else {
        response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
      if (!keepAlive || handler.closing()) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
      ChannelFuture written = ctx().write(response);
      if (endOfStream) {
        responseEnded();
      }
      return written;
    }
    if (!endOfStream) {
      // HTTP/1.1 has no header block between the headers and the trailers.
      return ctx().newSucceededFuture();
    }
    LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
    copyFields(headers, last.trailingHeaders());
    ChannelFuture written = ctx().write(last);
    responseEnded();
    return written;
  }

  /** Everything but HTTP/2's pseudo-headers. */
  private static void copyFields(Http2Headers from, HttpHeaders to) {
    for (Map.Entry<CharSequence, CharSequence> field : from) {
      if (field.getKey().length() == 0 || field.getKey().charAt(0) != ':') {
        to.add(field.getKey(), field.getValue());
      }
    }
  }

  @Override
  public void writeData(ByteBuf data, DataSent sent) {
    int bytes = data.readableBytes();
    if (!responseStarted || responseEnded || closed) {
      data.release();
      sent.onSent(bytes, false);
      return;
    }
    // Told when the socket took it: nothing else holds back a writer that outpaces the peer.
    ctx().write(new DefaultHttpContent(data)).addListener(f -> sent.onSent(bytes, f.isSuccess()));
  }

  @Override
  public ChannelFuture writeLastData(ByteBuf data) {
    if (!responseStarted || responseEnded || closed) {
      data.release();
      return ctx().newFailedFuture(new IllegalStateException("no response in progress"));
    }
    ChannelFuture written = ctx().write(new DefaultLastHttpContent(data));
    responseEnded();
    return written;
  }

  private void responseEnded() {
    responseEnded = true;
    if (requestEnded) {
      close();
    }
  }

  @Override
  public void reset(Http2Error error) {
    if (closed) {
      return;
    }
    if (responseEnded && error == Http2Error.NO_ERROR) {
      // Answered in full: the rest of the request body is read and dropped.
      close();
      return;
    }
    // An exchange cut short can only end with its connection.
    closed = true;
    if (listener != null) {
      listener.onClosed();
    }
    ctx().flush();
    ctx().close();
  }

  @Override
  public boolean remoteClosed() {
    return requestEnded || closed;
  }

  @Override
  public void returnBytes(int bytes) {
    heldBytes -= bytes;
    handler.updateReading();
  }

  /** A reset is no answer on HTTP/1.1: the call's status is sent instead. */
  @Override
  public boolean statusAtDeadline() {
    return true;
  }

  // ---- from the handler ----

  boolean requestEnded() {
    return requestEnded;
  }

  long heldBytes() {
    return heldBytes;
  }

  void onContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (last) {
      requestEnded = true;
    }
    if (listener == null || closed) {
      content.release();
    } else {
      ByteBuf bytes = content.content();
      heldBytes += bytes.readableBytes();
      // Request trailers are not read, as on HTTP/2.
      listener.onData(bytes, last);
    }
    if (last && (responseEnded || closed)) {
      finish();
    }
  }

  /** Both directions are done with (or given up): the listener hears it once. */
  private void close() {
    if (!closed) {
      closed = true;
      if (listener != null) {
        listener.onClosed();
      }
    }
    if (requestEnded) {
      finish();
    }
  }

  private void finish() {
    if (!closed) {
      close();
      return;
    }
    handler.streamDone(this, keepAlive && responseEnded);
  }

  void onConnectionClosed() {
    if (closed) {
      return;
    }
    closed = true;
    if (listener != null) {
      if (!requestEnded || !responseEnded) {
        // The peer went away mid-exchange: as a reset would say on HTTP/2.
        listener.onReset(Http2Error.CANCEL.code());
      }
      listener.onClosed();
    }
  }
}
