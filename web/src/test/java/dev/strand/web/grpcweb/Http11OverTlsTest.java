package dev.strand.web.grpcweb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.web.grpcweb.Http1Client.Response;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 over TLS from a bare socket: with ALPN http/1.1 (what a browser offers after h2), and
 * with no ALPN at all (as Node's https and many scripts do), where the server tells the version by
 * the first bytes, as on a cleartext port.
 */
class Http11OverTlsTest {
  private static final Path CERTS = Path.of("target", "certs");

  @Test
  void http11WithoutAlpnIsServed() throws Exception {
    assertServed(null);
  }

  @Test
  void alpnHttp11IsAgreedAndServed() throws Exception {
    assertEquals("http/1.1", assertServed("http/1.1"));
  }

  /** One call over a TLS socket offering this ALPN protocol (or none); what was agreed. */
  private static String assertServed(String alpn) throws Exception {
    SSLSocket socket = (SSLSocket) trustingTestCa().createSocket();
    if (alpn != null) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {alpn});
      socket.setSSLParameters(parameters);
    }
    try (WebTestServer server =
            new WebTestServer(
                b -> b.tls(CERTS.resolve("server1.pem"), CERTS.resolve("server1.key")));
        Http1Client client = new Http1Client(socket, server.port())) {
      client.write(
          Http1Client.post(
              "grpc.testing.TestService/UnaryCall",
              "application/grpc-web+proto",
              WebFrames.message(SimpleRequest.newBuilder().setResponseSize(6).build())));
      Response response = client.read();
      assertEquals(200, response.status(), response::toString);
      var frames = WebFrames.parse(response.body());
      assertEquals(
          6, SimpleResponse.parseFrom(frames.get(0).payload()).getPayload().getBody().size());
      assertEquals("0", frames.get(1).trailers().get("grpc-status"));
      return socket.getApplicationProtocol();
    }
  }

  private static javax.net.ssl.SSLSocketFactory trustingTestCa() throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream ca = Files.newInputStream(CERTS.resolve("ca.pem"))) {
      trusted.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context.getSocketFactory();
  }
}
