package dev.strand.netty.http2;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2Error;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs every GOAWAY a connection sends, Strand's own and those Netty sends on connection errors,
 * with its error code, debug data and peer: a client told to go away ("the connection is draining")
 * can then be explained from this side's log. Error codes log at INFO, so they show at the default
 * level; graceful ones (NO_ERROR: shutdown, max age, max idle) at FINE.
 */
public final class GoAwayLog {
  private static final Logger log = Logger.getLogger(GoAwayLog.class.getName());

  private GoAwayLog() {}

  static void sent(Channel channel, int lastStreamId, long errorCode, ByteBuf debugData) {
    Level level = errorCode == Http2Error.NO_ERROR.code() ? Level.FINE : Level.INFO;
    if (!log.isLoggable(level)) {
      return;
    }
    Http2Error error = Http2Error.valueOf(errorCode);
    log.log(
        level,
        String.format(
            "sent GOAWAY %s (0x%x) to %s, last stream %d: '%s'",
            error == null ? "unknown error" : error,
            errorCode,
            channel.remoteAddress(),
            lastStreamId,
            debugData.toString(StandardCharsets.UTF_8)));
  }
}
