package dev.strand.web.grpcweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.client.ChannelTransport;
import dev.strand.netty.stream.ServerProtocol;
import dev.strand.web.client.WebChannelTransport;
import dev.strand.web.grpcweb.H2cClient.Response;
import io.grpc.testing.integration.Messages.SimpleRequest;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** How a server comes to speak gRPC-Web: by the module being there, unless turned off. */
class GrpcWebSetupTest {
  private static final String UNARY = "grpc.testing.TestService/UnaryCall";

  @Test
  void theModuleAndTheClassPathBothFindTheProtocol() throws Exception {
    String factory = GrpcWebProtocol.Factory.class.getName();
    ModuleDescriptor web = GrpcWebProtocol.class.getModule().getDescriptor();
    // Null on the class path, where META-INF/services does the same.
    if (web != null) {
      assertEquals("dev.strand.web", web.name());
      assertTrue(web.exports().isEmpty(), web.exports()::toString);
      assertEquals(
          Set.of(
              ServerProtocol.Factory.class.getName() + " <- [" + factory + "]",
              ChannelTransport.class.getName()
                  + " <- ["
                  + WebChannelTransport.class.getName()
                  + "]"),
          web.provides().stream()
              .map(p -> p.service() + " <- " + p.providers())
              .collect(Collectors.toSet()));
    }
    try (InputStream services =
        GrpcWebProtocol.class.getResourceAsStream(
            "/META-INF/services/" + ServerProtocol.Factory.class.getName())) {
      assertEquals(factory, new String(services.readAllBytes(), StandardCharsets.UTF_8).trim());
    }
    try (InputStream services =
        GrpcWebProtocol.class.getResourceAsStream(
            "/META-INF/services/" + ChannelTransport.class.getName())) {
      assertEquals(
          WebChannelTransport.class.getName(),
          new String(services.readAllBytes(), StandardCharsets.UTF_8).trim());
    }
  }

  /** Turned off, gRPC-Web requests get what they got before the module: gRPC's 415. */
  @Test
  void theSystemPropertyTurnsItOff() throws Exception {
    System.setProperty(GrpcWebProtocol.ENABLED_PROPERTY, "false");
    try (WebTestServer server = new WebTestServer();
        H2cClient client = new H2cClient(server.port())) {
      Response response =
          client.send(
              H2cClient.post(UNARY, "application/grpc-web+proto"),
              WebFrames.message(SimpleRequest.getDefaultInstance()));
      assertEquals("415", response.status(), response::toString);
    } finally {
      System.clearProperty(GrpcWebProtocol.ENABLED_PROPERTY);
    }
  }
}
