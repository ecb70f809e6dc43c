package dev.strand.e2e.docs;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerContext;
import dev.strand.stub.StreamSink;
import dev.strand.wire.Codec;
import dev.strand.wire.CodecRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/** The code of docs/COMPRESSION.md; see {@link DeadlineSnippets} for how it is kept honest. */
final class CompressionSnippets {

  static ManagedChannel gzipChannel(int port) {
    // snippet:start compression-channel
    ManagedChannel channel =
        Channel.to("127.0.0.1", port)
            .plaintext()
            .compression("gzip") // requests are gzipped unless a call says otherwise
            .build();
    // snippet:end compression-channel
    return channel;
  }

  static String perCall(Channel channel, String bigText) {
    // snippet:start compression-call
    String reply =
        ClientCalls.blockingUnary(
            channel,
            Greeter.SAY_HELLO,
            CallOptions.DEFAULT.withCompression("gzip").withTimeout(Duration.ofSeconds(5)),
            bigText);
    String small =
        ClientCalls.blockingUnary(
            channel,
            Greeter.SAY_HELLO,
            CallOptions.DEFAULT.withCompression("identity").withTimeout(Duration.ofSeconds(5)),
            "Ada");
    // snippet:end compression-call
    return reply + small;
  }

  static Server gzipServer(ServiceDefinition greeter) throws IOException {
    // snippet:start compression-server
    Server server =
        Server.builder()
            .address("127.0.0.1", 0)
            .compression("gzip") // responses are gzipped for clients that accept gzip
            .service(greeter)
            .start();
    // snippet:end compression-server
    return server;
  }

  // snippet:start compression-handler
  String sayHello(String name) {
    if (name.length() > 1024) {
      ServerContext.current().setCompression("gzip"); // before the response starts
    }
    return "Hello " + name;
  }

  // snippet:end compression-handler

  // snippet:start compression-per-message
  void lotsOfReplies(String name, StreamSink<String> replies) {
    replies.send("Hello " + name); // compressed, if the call is
    replies.setMessageCompression(false);
    replies.send(secretFor(name)); // never compressed next to attacker-chosen text
    replies.setMessageCompression(true);
    replies.send("Goodbye " + name);
  }

  // snippet:end compression-per-message

  private static String secretFor(String name) {
    return "token-" + Integer.toHexString(name.hashCode());
  }

  // snippet:start compression-codec
  /** zlib deflate under the name "x-deflate"; the peer must know the same name. */
  static final class DeflateCodec implements Codec {
    @Override
    public String name() {
      return "x-deflate";
    }

    @Override
    public OutputStream compress(OutputStream out) {
      return new DeflaterOutputStream(out);
    }

    @Override
    public InputStream decompress(InputStream in) {
      return new InflaterInputStream(in);
    }
  }

  static void install() {
    // Once, before channels and servers use it; it joins grpc-accept-encoding everywhere.
    CodecRegistry.getDefault().register(new DeflateCodec());
  }

  // snippet:end compression-codec

  static String limits(ServiceDefinition greeter) throws IOException {
    // snippet:start limits-message-size
    Server server =
        Server.builder()
            .address("127.0.0.1", 0)
            .maxInboundMessageSize(16 * 1024 * 1024) // requests up to 16 MiB (default 4 MiB)
            .service(greeter)
            .start();
    ManagedChannel channel =
        Channel.to("127.0.0.1", server.port())
            .plaintext()
            .maxInboundMessageSize(1024 * 1024) // responses up to 1 MiB...
            .build();
    String report =
        ClientCalls.blockingUnary(
            channel,
            Greeter.SAY_HELLO,
            CallOptions.DEFAULT
                .withMaxInboundMessageSize(64 * 1024 * 1024) // ...but this call's up to 64 MiB
                .withTimeout(Duration.ofSeconds(30)),
            "monthly report");
    // snippet:end limits-message-size
    channel.close();
    server.close();
    return report;
  }
}
