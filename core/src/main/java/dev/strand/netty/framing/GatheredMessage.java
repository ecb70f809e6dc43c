package dev.strand.netty.framing;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;

/**
 * A message body that {@link MessageDeframer} copied into an array of its own as its DATA frames
 * arrived. Nothing else refers to the array, so the parser may keep references into it (see {@link
 * dev.strand.Marshaller#parseOwned}) instead of copying bytes fields out once more.
 */
public final class GatheredMessage extends UnpooledHeapByteBuf {
  GatheredMessage(byte[] body) {
    super(UnpooledByteBufAllocator.DEFAULT, body, body.length);
  }
}
