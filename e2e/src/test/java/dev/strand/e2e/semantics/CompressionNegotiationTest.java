package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Metadata;
import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gzip and identity between Strand and grpc-java, checked on the wire: nothing is compressed unless
 * asked; a call, a channel or a server can ask; grpc-encoding names what the messages use and their
 * compressed flag agrees; grpc-accept-encoding advertises what a peer reads, and a server never
 * compresses with an encoding the client did not advertise.
 */
@Timeout(30)
class CompressionNegotiationTest {
  private final Peers peers = new Peers();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  private WireTap grpcJavaEcho() throws Exception {
    return peers.add(WireTap.to(peers.grpcServerWith(Echoes.grpc()).getPort()));
  }

  private WireTap strandEcho(String serverCompression) throws Exception {
    return peers.add(
        WireTap.to(
            peers
                .start(Peers.strandServer().compression(serverCompression).service(Echoes.strand()))
                .port()));
  }

  private static byte[] strandCall(ManagedChannel channel, CallOptions options, Metadata headers) {
    byte[] echo = Calls.strand(channel, options, headers, Echoes.PAYLOAD);
    assertArrayEquals(Echoes.PAYLOAD, echo);
    return echo;
  }

  private static void grpcCall(
      io.grpc.Channel channel, io.grpc.CallOptions options, io.grpc.Metadata headers) {
    assertArrayEquals(Echoes.PAYLOAD, Calls.grpc(channel, options, headers, Echoes.PAYLOAD));
  }

  private static void expectPlainRequest(WireTap.Exchange x) {
    String encoding = x.request().header("grpc-encoding");
    assertTrue(encoding == null || encoding.equals("identity"), "grpc-encoding " + encoding);
    assertEquals(List.of(false), WireTap.Exchange.flags(x.requestMessages()));
  }

  private static void expectCompressedRequest(WireTap.Exchange x, String encoding) {
    assertEquals(encoding, x.request().header("grpc-encoding"));
    assertEquals(List.of(true), WireTap.Exchange.flags(x.requestMessages()));
    assertTrue(
        x.requestMessages().get(0).length() < Echoes.PAYLOAD.length / 10,
        "compressed to " + x.requestMessages().get(0).length() + " bytes");
  }

  private static void expectPlainResponse(WireTap.Exchange x) {
    String encoding = x.response().header("grpc-encoding");
    assertTrue(encoding == null || encoding.equals("identity"), "grpc-encoding " + encoding);
    assertEquals(List.of(false), WireTap.Exchange.flags(x.responseMessages()));
  }

  private static void expectCompressedResponse(WireTap.Exchange x, String encoding) {
    assertEquals(encoding, x.response().header("grpc-encoding"));
    assertEquals(List.of(true), WireTap.Exchange.flags(x.responseMessages()));
  }

  @Test
  void nothingIsCompressedUnlessAskedFor() throws Exception {
    WireTap tap = grpcJavaEcho();
    strandCall(peers.strandChannelTo(tap.port()), CallOptions.DEFAULT, new Metadata());
    WireTap.Exchange x = tap.lastExchange();
    expectPlainRequest(x);
    expectPlainResponse(x);
    // But the client says what it could read.
    assertTrue(
        x.request().header("grpc-accept-encoding").contains("gzip"),
        x.request().header("grpc-accept-encoding"));
  }

  @Test
  void aStrandCallAsksForGzip() throws Exception {
    WireTap tap = grpcJavaEcho();
    strandCall(
        peers.strandChannelTo(tap.port()),
        CallOptions.DEFAULT.withCompression("gzip"),
        new Metadata());
    WireTap.Exchange x = tap.lastExchange();
    expectCompressedRequest(x, "gzip");
    expectPlainResponse(x); // compression is per direction: grpc-java was not asked to
  }

  @Test
  void aStrandChannelDefaultsToGzipAndACallCanSayIdentity() throws Exception {
    WireTap tap = grpcJavaEcho();
    ManagedChannel channel = peers.start(Peers.strandChannel(tap.port()).compression("gzip"));
    strandCall(channel, CallOptions.DEFAULT, new Metadata());
    expectCompressedRequest(tap.lastExchange(), "gzip");
    strandCall(channel, CallOptions.DEFAULT.withCompression("identity"), new Metadata());
    expectPlainRequest(tap.lastExchange());
  }

  @Test
  void strandReadsGzipRepliesFromGrpcJava() throws Exception {
    WireTap tap = grpcJavaEcho();
    strandCall(peers.strandChannelTo(tap.port()), CallOptions.DEFAULT, Echoes.replyWith("gzip"));
    expectCompressedResponse(tap.lastExchange(), "gzip");
  }

  @Test
  void strandServerReadsGzipFromGrpcJava() throws Exception {
    WireTap tap = strandEcho(null);
    grpcCall(
        peers.grpcChannelTo(tap.port()),
        io.grpc.CallOptions.DEFAULT.withCompression("gzip"),
        new io.grpc.Metadata());
    WireTap.Exchange x = tap.lastExchange();
    expectCompressedRequest(x, "gzip");
    expectPlainResponse(x);
    // And answers with what it could read.
    assertTrue(x.response().header("grpc-accept-encoding").contains("gzip"));
  }

  @Test
  void aStrandServerDefaultCompressesForClientsThatAcceptIt() throws Exception {
    WireTap tap = strandEcho("gzip");
    grpcCall(peers.grpcChannelTo(tap.port()), io.grpc.CallOptions.DEFAULT, new io.grpc.Metadata());
    expectCompressedResponse(tap.lastExchange(), "gzip");
  }

  @Test
  void aStrandHandlerChoosesCompressionPerCall() throws Exception {
    WireTap tap = strandEcho(null);
    var channel = peers.grpcChannelTo(tap.port());
    grpcCall(channel, io.grpc.CallOptions.DEFAULT, Echoes.grpcReplyWith("gzip"));
    expectCompressedResponse(tap.lastExchange(), "gzip");
    grpcCall(channel, io.grpc.CallOptions.DEFAULT, new io.grpc.Metadata());
    expectPlainResponse(tap.lastExchange());
  }

  @Test
  void aStrandServerSendsPlainToAClientThatDoesNotAcceptGzip() throws Exception {
    WireTap tap = strandEcho("gzip");
    // This grpc-java client can read nothing but identity, and says so.
    var channel =
        peers.start(
            Peers.grpcChannel(tap.port())
                .decompressorRegistry(io.grpc.DecompressorRegistry.emptyInstance()));
    grpcCall(channel, io.grpc.CallOptions.DEFAULT, new io.grpc.Metadata());
    WireTap.Exchange x = tap.lastExchange();
    String accepted = x.request().header("grpc-accept-encoding");
    assertTrue(accepted == null || !accepted.contains("gzip"), accepted);
    expectPlainResponse(x);
    // Nor when a handler asks for it.
    grpcCall(channel, io.grpc.CallOptions.DEFAULT, Echoes.grpcReplyWith("gzip"));
    expectPlainResponse(tap.lastExchange());
  }

  @Test
  void strandToStrandCompressesBothWaysWhenBothAreAsked() throws Exception {
    WireTap tap = strandEcho("gzip");
    ManagedChannel channel = peers.start(Peers.strandChannel(tap.port()).compression("gzip"));
    strandCall(channel, CallOptions.DEFAULT, new Metadata());
    WireTap.Exchange x = tap.lastExchange();
    expectCompressedRequest(x, "gzip");
    expectCompressedResponse(x, "gzip");
    assertNotEquals(null, x.response().header("grpc-accept-encoding"));
  }
}
