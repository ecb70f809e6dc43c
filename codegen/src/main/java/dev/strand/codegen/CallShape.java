package dev.strand.codegen;

/** The four shapes of an rpc; the constant names match {@code dev.strand.MethodType}. */
enum CallShape {
  UNARY,
  SERVER_STREAMING,
  CLIENT_STREAMING,
  BIDI_STREAMING;

  static CallShape of(boolean clientStreaming, boolean serverStreaming) {
    if (clientStreaming) {
      return serverStreaming ? BIDI_STREAMING : CLIENT_STREAMING;
    }
    return serverStreaming ? SERVER_STREAMING : UNARY;
  }
}
