package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import dev.strand.server.Server;
import dev.strand.testing.EchoService;
import dev.strand.testing.HeldEcho;
import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.netty.handler.codec.http2.Http2Error;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Server.shutdown() is graceful: GOAWAY with the largest stream id plus a PING, then, once the PING
 * is answered, GOAWAY with the real last stream id. Calls in flight finish; a stream the client
 * opened before it saw the first GOAWAY is still served; new calls go nowhere.
 */
@Timeout(30)
class GracefulShutdownTest {
  /** ConnectionLifecycle.GOAWAY_PING_DATA: "StrndGOA". */
  private static final long GOAWAY_PING = 0x5374726e64474f41L;

  @Test
  void grpcJavaCallsInFlightFinish() throws Exception {
    HeldEcho held = new HeldEcho();
    Server server = Server.builder().address("127.0.0.1", 0).service(held.definition()).start();
    ManagedChannel channel = GrpcJavaEcho.channel(server.port()).build();
    try {
      assertEquals("echo:warm", GrpcJavaEcho.unary(channel, "warm", Duration.ofSeconds(5)));
      List<ListenableFuture<String>> inFlight = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        inFlight.add(
            ClientCalls.futureUnaryCall(
                channel.newCall(
                    GrpcJavaEcho.UNARY,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS)),
                "hold"));
      }
      held.awaitStarted(5); // every call is in its handler, and stays there until released
      server.shutdown();
      // The client leaves READY once it has the GOAWAY: from then on a new call goes nowhere,
      // while the held calls are still in their handlers.
      CountDownLatch goneAway = new CountDownLatch(1);
      channel.notifyWhenStateChanged(ConnectivityState.READY, goneAway::countDown);
      assertTrue(goneAway.await(5, TimeUnit.SECONDS), "the client never saw the GOAWAY");
      StatusRuntimeException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              StatusRuntimeException.class,
              () -> GrpcJavaEcho.unary(channel, "late", Duration.ofSeconds(2)));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());

      held.release();
      for (ListenableFuture<String> f : inFlight) {
        assertEquals("echo:hold", f.get(10, TimeUnit.SECONDS));
      }
      assertTrue(server.awaitTermination(Duration.ofSeconds(10)), "server did not terminate");
    } finally {
      held.release();
      GrpcJavaEcho.close(channel);
      server.shutdownNow();
    }
  }

  @Test
  void streamOpenedBetweenTheGoAwaysIsServed() throws Exception {
    Server server =
        Server.builder().address("127.0.0.1", 0).service(EchoService.definition()).start();
    // The peer answers PINGs only when told to, to open a stream between the two GOAWAYs.
    try (RawPeer peer = RawPeer.connect(server.port(), RawPeer.Options.polite().ignoringPings())) {
      assertTrue(peer.log().awaitSettings(RawPeer.WAIT));
      server.shutdown();
      assertTrue(
          peer.log()
              .await(
                  () ->
                      !peer.log().goAways().isEmpty()
                          && peer.log().pings().stream().anyMatch(p -> p.data() == GOAWAY_PING),
                  RawPeer.WAIT),
          "no first GOAWAY and PING: " + peer.log());
      PeerLog.GoAway first = peer.log().goAways().get(0);
      assertEquals(Integer.MAX_VALUE, first.lastStreamId(), first.toString());
      assertTrue(first.is(Http2Error.NO_ERROR), first.toString());

      // A request that crossed the first GOAWAY on the wire: it must still be served.
      int stream = peer.newStreamId();
      peer.write(
          (w, c) -> {
            w.writeHeaders(
                c, stream, RawPeer.request(EchoService.UNARY.fullName()), 0, false, c.newPromise());
            w.writeData(
                c,
                stream,
                RawPeer.grpcMessage("late".getBytes(StandardCharsets.UTF_8)),
                0,
                true,
                c.newPromise());
            w.writePing(c, true, GOAWAY_PING, c.newPromise());
          });

      assertTrue(peer.awaitClosed(Duration.ofSeconds(10)), "not closed: " + peer.log());
      List<PeerLog.GoAway> goAways = peer.log().goAways();
      assertEquals(2, goAways.size(), goAways.toString());
      assertEquals(stream, goAways.get(1).lastStreamId(), goAways.toString());
      assertTrue(
          peer.log().dataBytes(stream) > 0, "the late stream was not answered: " + peer.log());
      assertNotNull(
          peer.log().headers(stream).stream()
              .filter(h -> h.get("grpc-status") != null && "0".contentEquals(h.get("grpc-status")))
              .findFirst()
              .orElse(null),
          "no OK trailers: " + peer.log().headers(stream));
      assertTrue(server.awaitTermination(Duration.ofSeconds(10)), "server did not terminate");
    } finally {
      server.shutdownNow();
    }
  }
}
