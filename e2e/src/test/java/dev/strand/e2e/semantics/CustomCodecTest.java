package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A user's codec ("x-test-deflate") registered with CodecRegistry.getDefault() works like gzip: per
 * call and per server, advertised in grpc-accept-encoding, and understood by a grpc-java peer that
 * registered the same scheme. An encoding the server does not know is UNIMPLEMENTED, with
 * grpc-accept-encoding saying what it does know (compression.md).
 */
@Timeout(30)
class CustomCodecTest {
  private final Peers peers = new Peers();

  @BeforeAll
  static void register() {
    TestDeflate.registerWithStrand();
  }

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  private static void expectEncoded(List<WireTap.Message> messages) {
    assertEquals(List.of(true), WireTap.Exchange.flags(messages));
  }

  @Test
  void strandToStrand() throws Exception {
    WireTap tap =
        peers.add(
            WireTap.to(
                peers
                    .start(
                        Peers.strandServer().compression(TestDeflate.NAME).service(Echoes.strand()))
                    .port()));
    ManagedChannel channel = peers.strandChannelTo(tap.port());
    assertArrayEquals(
        Echoes.PAYLOAD,
        Calls.strand(
            channel,
            CallOptions.DEFAULT.withCompression(TestDeflate.NAME),
            new Metadata(),
            Echoes.PAYLOAD));
    WireTap.Exchange x = tap.lastExchange();
    assertEquals(TestDeflate.NAME, x.request().header("grpc-encoding"));
    assertEquals(TestDeflate.NAME, x.response().header("grpc-encoding"));
    assertTrue(x.request().header("grpc-accept-encoding").contains(TestDeflate.NAME));
    assertTrue(x.response().header("grpc-accept-encoding").contains(TestDeflate.NAME));
    expectEncoded(x.requestMessages());
    expectEncoded(x.responseMessages());
  }

  @Test
  void strandClientAndGrpcJavaServer() throws Exception {
    WireTap tap =
        peers.add(
            WireTap.to(
                peers
                    .start(
                        Peers.grpcServer()
                            .compressorRegistry(TestDeflate.grpcCompressors())
                            .decompressorRegistry(TestDeflate.grpcDecompressors())
                            .addService(Echoes.grpc()))
                    .getPort()));
    ManagedChannel channel = peers.strandChannelTo(tap.port());
    assertArrayEquals(
        Echoes.PAYLOAD,
        Calls.strand(
            channel,
            CallOptions.DEFAULT.withCompression(TestDeflate.NAME),
            Echoes.replyWith(TestDeflate.NAME),
            Echoes.PAYLOAD));
    WireTap.Exchange x = tap.lastExchange();
    assertEquals(TestDeflate.NAME, x.response().header("grpc-encoding"));
    expectEncoded(x.requestMessages());
    expectEncoded(x.responseMessages());
  }

  @Test
  void grpcJavaClientAndStrandServer() throws Exception {
    WireTap tap =
        peers.add(WireTap.to(peers.start(Peers.strandServer().service(Echoes.strand())).port()));
    var channel =
        peers.start(
            Peers.grpcChannel(tap.port())
                .compressorRegistry(TestDeflate.grpcCompressors())
                .decompressorRegistry(TestDeflate.grpcDecompressors()));
    assertArrayEquals(
        Echoes.PAYLOAD,
        Calls.grpc(
            channel,
            io.grpc.CallOptions.DEFAULT.withCompression(TestDeflate.NAME),
            Echoes.grpcReplyWith(TestDeflate.NAME),
            Echoes.PAYLOAD));
    WireTap.Exchange x = tap.lastExchange();
    assertEquals(TestDeflate.NAME, x.request().header("grpc-encoding"));
    assertEquals(TestDeflate.NAME, x.response().header("grpc-encoding"));
    expectEncoded(x.requestMessages());
    expectEncoded(x.responseMessages());
  }

  /** A scheme only the grpc-java client knows. */
  private static final io.grpc.Codec UNKNOWN =
      new io.grpc.Codec() {
        @Override
        public String getMessageEncoding() {
          return "x-unknown";
        }

        @Override
        public OutputStream compress(OutputStream os) {
          return os;
        }

        @Override
        public InputStream decompress(InputStream is) {
          return is;
        }
      };

  @Test
  void anEncodingTheStrandServerDoesNotKnowIsUnimplementedWithWhatItDoes() throws Exception {
    WireTap tap =
        peers.add(WireTap.to(peers.start(Peers.strandServer().service(Echoes.strand())).port()));
    io.grpc.CompressorRegistry compressors = io.grpc.CompressorRegistry.newEmptyInstance();
    compressors.register(UNKNOWN);
    var channel = peers.start(Peers.grpcChannel(tap.port()).compressorRegistry(compressors));
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                Calls.grpc(
                    channel,
                    io.grpc.CallOptions.DEFAULT.withCompression("x-unknown"),
                    new io.grpc.Metadata(),
                    Echoes.PAYLOAD));
    assertEquals(io.grpc.Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("x-unknown"), e::toString);

    WireTap.Exchange x = tap.lastExchange();
    String accepted = x.response().header("grpc-accept-encoding");
    assertTrue(accepted != null && accepted.contains("gzip"), "grpc-accept-encoding " + accepted);
    assertFalse(accepted.contains("x-unknown"), accepted);
    // The connection is fine: the next call, in a known encoding, goes through.
    assertArrayEquals(
        Echoes.PAYLOAD,
        Calls.grpc(channel, io.grpc.CallOptions.DEFAULT, new io.grpc.Metadata(), Echoes.PAYLOAD));
  }

  @Test
  void aGrpcJavaServerThatDoesNotKnowStrandsCodecSaysUnimplemented() throws Exception {
    ManagedChannel channel = peers.strandChannelTo(peers.grpcServerWith(Echoes.grpc()).getPort());
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                Calls.strand(
                    channel,
                    CallOptions.DEFAULT.withCompression(TestDeflate.NAME),
                    new Metadata(),
                    Echoes.PAYLOAD));
    assertEquals(Status.Code.UNIMPLEMENTED, e.code(), e::toString);
    assertTrue(
        e.trailers().get("grpc-accept-encoding") == null
            || !e.trailers().get("grpc-accept-encoding").contains(TestDeflate.NAME));
  }

  @Test
  void aStrandCallCannotAskForAnUnregisteredEncoding() throws Exception {
    ManagedChannel channel = peers.strandChannelTo(peers.grpcServerWith(Echoes.grpc()).getPort());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> channel.newCall(Probe.UNARY, CallOptions.DEFAULT.withCompression("x-nobody")));
    assertTrue(e.getMessage().contains("x-nobody"), e.getMessage());
  }
}
