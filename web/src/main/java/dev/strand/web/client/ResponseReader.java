package dev.strand.web.client;

import java.nio.ByteBuffer;

/** Reads one call's response body as it arrives; made once the status line and headers are in. */
interface ResponseReader {
  /** The next piece of the body, of any size. */
  void onBody(ByteBuffer piece);

  /** The body is complete. */
  void onEnd();
}
