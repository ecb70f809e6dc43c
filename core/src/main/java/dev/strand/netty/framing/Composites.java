package dev.strand.netty.framing;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * Composite buffers that Netty's leak detector does not track. A composite owns no memory of its
 * own, only its components, and those were tracked when they were allocated: a composite that leaks
 * leaks them, and is reported through them (at the paranoid level, always). Tracking the composite
 * too only costs: at the default level one composite in 128 is wrapped and traced, and the wrappers
 * it and everything sliced from it then show up at every buffer call site the message path shares,
 * which the JIT no longer compiles for one buffer type. A 64 KiB message read in 16 KiB frames
 * makes one or two composites.
 */
public final class Composites {
  private Composites() {}

  public static CompositeByteBuf untracked(ByteBufAllocator alloc, int maxComponents) {
    return new CompositeByteBuf(alloc, true, maxComponents);
  }
}
