package dev.strand.e2e;

import dev.strand.client.Channel;
import dev.strand.client.ChannelBuilder;
import dev.strand.server.Server;
import dev.strand.server.ServerBuilder;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The three ways the peers connect in these tests, with both the Strand and the grpc-java side of
 * each: cleartext h2c, TLS (server1 cert, client trusts ca and checks the name foo.test.google.fr),
 * and mutual TLS (the server requires a ca-signed client cert).
 */
enum Transport {
  PLAINTEXT,
  TLS,
  MUTUAL_TLS;

  static final String HOST = "127.0.0.1";

  boolean tls() {
    return this != PLAINTEXT;
  }

  /** The :authority a client of this transport sends to a server on {@code port}. */
  String authority(int port) {
    return tls() ? TestCerts.AUTHORITY : HOST + ":" + port;
  }

  // ---- Strand side ----

  ServerBuilder strandServer() {
    ServerBuilder b = Server.builder().address(HOST, 0);
    return configure(b);
  }

  ServerBuilder strandServer(int port) {
    return configure(Server.builder().address(HOST, port));
  }

  private ServerBuilder configure(ServerBuilder b) {
    if (tls()) {
      b.tls(TestCerts.SERVER_CERT, TestCerts.SERVER_KEY);
    }
    if (this == MUTUAL_TLS) {
      b.clientAuth(TestCerts.CA, true);
    }
    return b;
  }

  ChannelBuilder strandChannel(int port) {
    ChannelBuilder b = Channel.to(HOST, port);
    if (!tls()) {
      return b.plaintext();
    }
    b.trustCa(TestCerts.CA).overrideAuthority(TestCerts.AUTHORITY);
    if (this == MUTUAL_TLS) {
      b.clientCertificate(TestCerts.CLIENT_CERT, TestCerts.CLIENT_KEY);
    }
    return b;
  }

  // ---- grpc-java side ----

  io.grpc.Server grpcJavaServer(int port, io.grpc.ServerServiceDefinition service) {
    try {
      return NettyServerBuilder.forAddress(new InetSocketAddress(HOST, port), serverCredentials())
          .addService(service)
          .build()
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ManagedChannel grpcJavaChannel(int port) {
    NettyChannelBuilder b = NettyChannelBuilder.forAddress(HOST, port, channelCredentials(true));
    if (tls()) {
      b.overrideAuthority(TestCerts.AUTHORITY);
    }
    return b.build();
  }

  /** A grpc-java channel that speaks this transport but presents no client certificate. */
  ManagedChannel grpcJavaChannelWithoutClientCert(int port) {
    return NettyChannelBuilder.forAddress(HOST, port, channelCredentials(false))
        .overrideAuthority(TestCerts.AUTHORITY)
        .build();
  }

  private ServerCredentials serverCredentials() {
    if (!tls()) {
      return InsecureServerCredentials.create();
    }
    try {
      TlsServerCredentials.Builder b =
          TlsServerCredentials.newBuilder()
              .keyManager(TestCerts.SERVER_CERT.toFile(), TestCerts.SERVER_KEY.toFile());
      if (this == MUTUAL_TLS) {
        b.trustManager(TestCerts.CA.toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
      }
      return b.build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ChannelCredentials channelCredentials(boolean presentClientCert) {
    if (!tls()) {
      return InsecureChannelCredentials.create();
    }
    try {
      TlsChannelCredentials.Builder b =
          TlsChannelCredentials.newBuilder().trustManager(TestCerts.CA.toFile());
      if (this == MUTUAL_TLS && presentClientCert) {
        b.keyManager(TestCerts.CLIENT_CERT.toFile(), TestCerts.CLIENT_KEY.toFile());
      }
      return b.build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- shutting down what tests started ----

  static void close(ManagedChannel channel) throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  static void close(io.grpc.Server server) throws InterruptedException {
    if (server != null) {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  static void close(dev.strand.client.ManagedChannel channel) throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow();
      channel.awaitTermination(java.time.Duration.ofSeconds(5));
    }
  }

  static void close(Server server) throws InterruptedException {
    if (server != null) {
      server.shutdownNow();
      server.awaitTermination(java.time.Duration.ofSeconds(5));
    }
  }
}
