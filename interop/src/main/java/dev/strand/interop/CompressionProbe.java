package dev.strand.interop;

import dev.strand.wire.Codec;
import dev.strand.wire.CodecRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Tells whether the message just received had its compressed flag set.
 *
 * <p>WORKAROUND for a gap in Strand's API: neither {@code ServerCall.Listener.onMessage} nor {@code
 * ClientCall.Listener.onMessage} says whether a message arrived compressed, and the {@code
 * grpc-encoding} header is filtered out of the metadata handlers see. The interop spec needs that
 * bit (CompressedRequest's {@code expect_compressed}; the clients' checks of {@code
 * response_compressed}). So this replaces "gzip" in the default codec registry with a delegating
 * codec that marks the current thread when it decompresses. Strand decodes a message and hands it
 * to the listener in the same event-loop step (GrpcServerCall/NettyClientCall {@code onMessage}),
 * so a listener reading {@link #takeLastWasCompressed()} right then sees the bit of exactly that
 * message. Every listener on the thread must take the mark, or a stale one could leak into the next
 * message: both interceptors that use it wrap every call.
 */
final class CompressionProbe {
  private static final ThreadLocal<Boolean> DECOMPRESSED = new ThreadLocal<>();
  private static volatile boolean installed;

  private CompressionProbe() {}

  /** Registers the marking gzip codec; call before any channel or server is built. */
  static synchronized void install() {
    if (installed) {
      return;
    }
    Codec gzip = CodecRegistry.getDefault().lookup("gzip");
    if (gzip == null) {
      gzip = Codec.GZIP;
    }
    CodecRegistry.getDefault().register(new Marking(gzip));
    installed = true;
  }

  /** Whether the message decoded last on this thread was compressed; clears the mark. */
  static boolean takeLastWasCompressed() {
    Boolean mark = DECOMPRESSED.get();
    DECOMPRESSED.remove();
    return mark != null && mark;
  }

  private record Marking(Codec delegate) implements Codec {
    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public OutputStream compress(OutputStream out) throws IOException {
      return delegate.compress(out);
    }

    @Override
    public InputStream decompress(InputStream in) throws IOException {
      DECOMPRESSED.set(Boolean.TRUE);
      return delegate.decompress(in);
    }
  }
}
