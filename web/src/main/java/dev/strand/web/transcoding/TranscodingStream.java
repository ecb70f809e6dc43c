package dev.strand.web.transcoding;

import com.google.protobuf.Message;
import dev.strand.Status;
import dev.strand.internal.wire.HttpStatusMapping;
import dev.strand.netty.headers.HeadersCodec;
import dev.strand.netty.stream.DataSent;
import dev.strand.netty.stream.ServerStream;
import dev.strand.web.seam.TranslatingStream;
import dev.strand.web.transcoding.message.BadRequestException;
import dev.strand.web.transcoding.message.ResponseMessages;
import dev.strand.web.transcoding.rules.HttpBinding;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A transcoded request as the gRPC call engine sees it: a gRPC stream carrying one request message,
 * built from the HTTP request once all of it is in; and, the other way, the engine's response
 * turned into an HTTP one.
 *
 * <p>Unary: the response waits for the call's end, because the HTTP status depends on how it ends;
 * then 200 and the message's JSON, or the status mapped to HTTP and a google.rpc.Status JSON body.
 * Server streaming: 200 and {@code application/x-ndjson} at the first message, one line per
 * message, {@code {"result": ...}}, and a last line {@code {"error": ...}} if the call fails after
 * that ({@link TranscodingHeaders} for the metadata rule).
 *
 * <p>Event loop only, like the stream it wraps.
 */
final class TranscodingStream extends TranslatingStream {
  static final String NDJSON = "application/x-ndjson";

  private static final Logger LOG = Logger.getLogger(TranscodingStream.class.getName());

  /** gRPC's message prefix: a compressed flag and a 4-byte length. */
  private static final int PREFIX = 5;

  private final TranscodingProtocol protocol;
  private final HttpBinding binding;
  private final List<String> pathValues;
  private final String query;
  private final Http2Headers requestHeaders;
  private final boolean streaming;

  /** The request body so far; released once the call has its message. */
  private CompositeByteBuf body;

  /** The request was answered without a call (bad input); what else comes is dropped. */
  private boolean refused;

  /** The engine's response headers: the call's response metadata, sent with the HTTP status. */
  private Http2Headers responseMetadata;

  /** Response bytes not yet a whole gRPC message. */
  private ByteBuf partial;

  /** Unary: the response, held until the call ends. */
  private ResponseMessages.Body unaryResponse;

  /** Streaming: the HTTP response has begun. */
  private boolean httpStarted;

  private boolean httpBodyStream;

  TranscodingStream(
      TranscodingProtocol protocol,
      ServerStream http,
      HttpBinding binding,
      List<String> pathValues,
      String query,
      Http2Headers requestHeaders,
      boolean endOfStream) {
    super(http);
    this.protocol = protocol;
    this.binding = binding;
    this.pathValues = pathValues;
    this.query = query;
    this.requestHeaders = requestHeaders;
    this.streaming = binding.serverStreaming();
    this.body = http.connection().alloc().compositeBuffer(Integer.MAX_VALUE);
    if (endOfStream) {
      startCall();
    }
  }

  // ---- the HTTP stream's side: the request ----

  @Override
  public void onData(ByteBuf data, boolean endOfStream) {
    int size = data.readableBytes();
    if (call != null || refused) {
      http.returnBytes(size);
      data.release();
      return;
    }
    // The whole body is held until it ends (bounded by the limit), so its window credit goes
    // back as it comes.
    http.returnBytes(size);
    if (body.readableBytes() + (long) size > protocol.maxBodySize()) {
      data.release();
      refuse(
          413,
          Status.RESOURCE_EXHAUSTED.withDescription(
              "request body larger than the limit of " + protocol.maxBodySize() + " bytes"));
      return;
    }
    body.addComponent(true, data);
    if (endOfStream) {
      startCall();
    }
  }

  private void startCall() {
    byte[] bytes = new byte[body.readableBytes()];
    body.readBytes(bytes);
    releaseBody();
    Message request;
    try {
      request =
          protocol
              .requests()
              .build(
                  binding,
                  pathValues,
                  query,
                  bytes,
                  TranscodingHeaders.contentType(requestHeaders));
    } catch (BadRequestException e) {
      refuse(e.httpStatus(), Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
      return;
    } catch (RuntimeException e) {
      // A bug here must cost this request only, not the connection.
      LOG.log(Level.WARNING, "could not transcode a request to " + binding.describe(), e);
      refuse(500, Status.INTERNAL.withDescription("the request could not be transcoded"));
      return;
    }
    int length = request.getSerializedSize();
    ByteBuf frame = http.connection().alloc().buffer(PREFIX + length);
    frame.writeByte(0).writeInt(length).writeBytes(request.toByteArray());
    protocol.grpc().open(this, TranscodingHeaders.asGrpc(requestHeaders, binding), false);
    if (call == null) {
      // gRPC answered at once (a bad grpc-timeout, say), through writeHeaders below.
      frame.release();
      return;
    }
    call.onData(frame, true);
  }

  private void refuse(int httpStatus, Status status) {
    refused = true;
    releaseBody();
    Answers.error(http, httpStatus, protocol.errors().render(status, null), null);
  }

  private void releaseBody() {
    if (body != null) {
      body.release();
      body = null;
    }
  }

  @Override
  public void onClosed() {
    releaseBody();
    if (partial != null) {
      partial.release();
      partial = null;
    }
    super.onClosed();
  }

  // ---- the gRPC engine's side: ServerStream ----

  /**
   * Response headers are held until the call ends (a unary call's HTTP status depends on how it
   * ends); the final block, trailers or Trailers-Only, ends the HTTP response.
   */
  @Override
  public ChannelFuture writeHeaders(Http2Headers headers, boolean endOfStream) {
    if (!endOfStream) {
      responseMetadata = headers;
      return http.connection().newPromise().setSuccess();
    }
    Status status = HeadersCodec.statusOf(headers, headers.status() != null);
    CharSequence details = headers.get(TranscodingHeaders.STATUS_DETAILS);
    if (httpStarted && httpBodyStream && !status.isOk()) {
      // Raw bytes have no place for an error: the response ends abruptly, as a broken one.
      http.reset(Http2Error.INTERNAL_ERROR);
      http.connection().flush();
      return http.writeLastData(http.connection().alloc().buffer(0));
    }
    if (httpStarted) {
      ByteBuf last = http.connection().alloc().buffer();
      if (!status.isOk()) {
        last.writeBytes("{\"error\":".getBytes(StandardCharsets.UTF_8));
        byte[] error = protocol.errors().render(status, details);
        // render() ends in a newline: the line's closing brace goes before it.
        last.writeBytes(error, 0, error.length - 1);
        last.writeBytes("}\n".getBytes(StandardCharsets.UTF_8));
      }
      return http.writeLastData(last);
    }
    if (status.isOk() && (unaryResponse != null || streaming)) {
      ResponseMessages.Body response =
          unaryResponse != null ? unaryResponse : new ResponseMessages.Body(NDJSON, new byte[0]);
      return respond(200, response.contentType(), response.bytes(), headers);
    }
    if (status.isOk()) {
      status = Status.INTERNAL.withDescription("the method ended without a response message");
    }
    return respond(
        HttpStatusMapping.httpStatusFor(status.code()),
        ResponseMessages.JSON,
        protocol.errors().render(status, details),
        headers);
  }

  private ChannelFuture respond(
      int httpStatus, String contentType, byte[] bytes, Http2Headers end) {
    http.writeHeaders(
        TranscodingHeaders.response(httpStatus, contentType, responseMetadata, end), false);
    ByteBuf out = http.connection().alloc().buffer(bytes.length);
    out.writeBytes(bytes);
    return http.writeLastData(out);
  }

  @Override
  public void writeData(ByteBuf data, DataSent sent) {
    int size = data.readableBytes();
    ByteBuf in;
    if (partial == null) {
      in = data;
    } else {
      in = partial.writeBytes(data);
      data.release();
    }
    partial = null;
    ByteBuf lines = null;
    try {
      while (in.readableBytes() >= PREFIX) {
        int length = in.getInt(in.readerIndex() + 1);
        if (in.readableBytes() < PREFIX + length) {
          break;
        }
        if (in.getByte(in.readerIndex()) != 0) {
          throw new IllegalStateException(
              "a compressed response message, though none was accepted");
        }
        in.skipBytes(PREFIX);
        byte[] message = new byte[length];
        in.readBytes(message);
        ResponseMessages.Body rendered = protocol.responses().render(binding, message);
        if (!streaming) {
          unaryResponse = rendered;
          continue;
        }
        if (lines == null) {
          lines = http.connection().alloc().buffer();
        }
        line(lines, rendered);
      }
      if (in.isReadable()) {
        // A message split across writes: its start waits in a buffer of our own.
        partial = http.connection().alloc().buffer(in.readableBytes()).writeBytes(in);
      }
    } catch (Exception e) {
      if (lines != null) {
        lines.release();
      }
      sent.onSent(size, false);
      failResponse(e);
      return;
    } finally {
      in.release();
    }
    if (lines == null) {
      sent.onSent(size, true);
      return;
    }
    http.writeData(lines, (bytes, success) -> sent.onSent(size, success));
  }

  /** One stream message: a JSON line, or an HttpBody's bytes as they are. */
  private void line(ByteBuf lines, ResponseMessages.Body rendered) {
    if (!httpStarted) {
      httpStarted = true;
      httpBodyStream = !rendered.contentType().equals(ResponseMessages.JSON);
      http.writeHeaders(
          TranscodingHeaders.response(
              200, httpBodyStream ? rendered.contentType() : NDJSON, responseMetadata, null),
          false);
    }
    if (httpBodyStream) {
      lines.writeBytes(rendered.bytes());
      return;
    }
    lines.writeBytes("{\"result\":".getBytes(StandardCharsets.UTF_8));
    lines.writeBytes(rendered.bytes());
    lines.writeBytes("}\n".getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A response message that could not become JSON: the call ends as INTERNAL, as the client sees.
   */
  private void failResponse(Exception e) {
    if (call != null) {
      call.onMalformed(
          Status.INTERNAL.withDescription(
              "the response could not be transcoded: " + e.getMessage()));
    }
  }

  @Override
  public void returnBytes(int bytes) {
    // The engine consumed the message made here; the HTTP body's bytes went back as they came.
  }
}
