package dev.strand;

/**
 * The four call shapes of gRPC. Unary is a stream with one message each way, not a special path.
 */
public enum MethodType {
  UNARY(false, false),
  SERVER_STREAMING(false, true),
  CLIENT_STREAMING(true, false),
  BIDI_STREAMING(true, true);

  private final boolean clientStreams;
  private final boolean serverStreams;

  MethodType(boolean clientStreams, boolean serverStreams) {
    this.clientStreams = clientStreams;
    this.serverStreams = serverStreams;
  }

  public boolean clientSendsOneMessage() {
    return !clientStreams;
  }

  public boolean serverSendsOneMessage() {
    return !serverStreams;
  }
}
