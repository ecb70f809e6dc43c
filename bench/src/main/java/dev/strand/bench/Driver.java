package dev.strand.bench;

import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import java.util.function.BiConsumer;

/**
 * One client stack (Strand or grpc-java) behind the few operations the load scenarios need, so both
 * are driven by the very same loop. Callbacks arrive on the stack's transport threads.
 */
interface Driver extends AutoCloseable {

  /** A unary call on connection {@code conn}; {@code done} gets the response or the error. */
  void unary(int conn, SimpleRequest request, BiConsumer<SimpleResponse, Throwable> done);

  /** Opens a bidi StreamingCall on connection {@code conn}. */
  Stream streamingCall(int conn, StreamListener listener);

  /** Starts StreamingFromServer on connection {@code conn}. */
  Stream streamingFromServer(int conn, SimpleRequest request, StreamListener listener);

  int connections();

  @Override
  void close();

  /** The client's half of a stream. */
  interface Stream {
    void send(SimpleRequest request);

    void request(int n);

    void halfClose();

    void cancel();
  }

  /** The server's half of a stream. */
  interface StreamListener {
    /** Called with the stream before it starts, so that no message can come before it. */
    default void onStart(Stream stream) {}

    void onMessage(SimpleResponse response);

    /** The stream ended; {@code error} is null when it ended with OK. */
    void onClose(Throwable error, boolean cancelled);
  }

  static Driver create(String impl, String host, int port, int connections) {
    return create(impl, host, port, connections, null, null);
  }

  /**
   * {@code channelTarget} (Strand only): each connection is a channel to this target with the
   * {@code policy} load-balancing policy, instead of a channel to {@code host:port}.
   */
  static Driver create(
      String impl, String host, int port, int connections, String channelTarget, String policy) {
    if (channelTarget != null && !impl.equals("strand")) {
      throw new IllegalArgumentException("--channel_target is for --impl=strand only");
    }
    return switch (impl) {
      case "strand" -> new StrandDriver(host, port, connections, channelTarget, policy);
      case "grpc-java" -> new GrpcJavaDriver(host, port, connections);
      default ->
          throw new IllegalArgumentException("--impl must be strand or grpc-java, was " + impl);
    };
  }
}
