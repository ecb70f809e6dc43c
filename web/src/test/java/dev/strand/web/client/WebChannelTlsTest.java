package dev.strand.web.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.client.WireProtocol;
import dev.strand.interop.TestServiceImpl;
import dev.strand.server.Server;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.TestService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A web-protocol channel over HTTPS (HTTP/1.1 on TLS) to a Strand server that asks for a client
 * certificate: a CA and certificates for 127.0.0.1 made with openssl for the test, since gRPC's
 * test certificates name other hosts and this channel cannot override the authority.
 */
class WebChannelTlsTest {
  @TempDir static Path certs;
  private static Server server;

  @BeforeAll
  static void start() throws Exception {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem");
    for (String name : List.of("server", "client")) {
      openssl(
          "req",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-subj",
          "/CN=" + name,
          "-keyout",
          name + ".key",
          "-out",
          name + ".csr");
      Files.writeString(certs.resolve(name + ".ext"), "subjectAltName=IP:127.0.0.1\n");
      openssl(
          "x509",
          "-req",
          "-days",
          "1",
          "-in",
          name + ".csr",
          "-CA",
          "ca.pem",
          "-CAkey",
          "ca.key",
          "-CAcreateserial",
          "-extfile",
          name + ".ext",
          "-out",
          name + ".pem");
    }
    server =
        Server.builder()
            .address("127.0.0.1", 0)
            .tls(certs.resolve("server.pem"), certs.resolve("server.key"))
            .clientAuth(certs.resolve("ca.pem"), true)
            .service(new TestServiceImpl())
            .start();
  }

  private static void openssl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .directory(certs.toFile())
            .redirectErrorStream(true)
            .redirectOutput(certs.resolve("openssl.log").toFile())
            .start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "openssl finished");
    assertEquals(0, process.exitValue(), () -> "openssl " + command + ": " + log());
  }

  private static String log() {
    try {
      return Files.readString(certs.resolve("openssl.log"));
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static ManagedChannel channel(WireProtocol protocol, boolean withClientCertificate) {
    var builder =
        Channel.to("127.0.0.1:" + server.port())
            .trustCa(certs.resolve("ca.pem"))
            .protocol(protocol);
    if (withClientCertificate) {
      builder.clientCertificate(certs.resolve("client.pem"), certs.resolve("client.key"));
    }
    return builder.build();
  }

  private static void close(ManagedChannel channel) throws InterruptedException {
    channel.shutdownNow();
    assertTrue(channel.awaitTermination(Duration.ofSeconds(5)));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(
      value = WireProtocol.class,
      names = {"GRPC_WEB", "CONNECT"})
  void overHttpsWithAClientCertificate(WireProtocol protocol) throws InterruptedException {
    ManagedChannel channel = channel(protocol, true);
    try {
      assertEquals(
          1234,
          TestService.client(channel)
              .unaryCall(SimpleRequest.newBuilder().setResponseSize(1234).build())
              .getPayload()
              .getBody()
              .size());
    } finally {
      close(channel);
    }
  }

  @Test
  void withoutTheClientCertificateTheServerRefusesTheHandshake() throws InterruptedException {
    ManagedChannel channel = channel(WireProtocol.GRPC_WEB, false);
    try {
      StatusException refused =
          assertThrows(
              StatusException.class,
              () -> TestService.client(channel).unaryCall(SimpleRequest.getDefaultInstance()));
      assertEquals(Status.Code.UNAVAILABLE, refused.code());
    } finally {
      close(channel);
    }
  }

  @Test
  void aServerTheChannelDoesNotTrustIsUnavailable() throws InterruptedException {
    ManagedChannel channel =
        Channel.to("127.0.0.1:" + server.port()).protocol(WireProtocol.GRPC_WEB).build();
    try {
      StatusException untrusted =
          assertThrows(
              StatusException.class,
              () -> TestService.client(channel).unaryCall(SimpleRequest.getDefaultInstance()));
      assertEquals(Status.Code.UNAVAILABLE, untrusted.code());
      assertTrue(untrusted.status().description().contains("SSL"), untrusted.toString());
    } finally {
      close(channel);
    }
  }
}
