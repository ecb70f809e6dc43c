package dev.strand.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.spi.ClientCallTracer;
import dev.strand.stub.ClientCalls;
import dev.strand.testing.EchoService;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A6's transparent retry, with no retry policy: a stream the server refused with RST_STREAM
 * REFUSED_STREAM never reached its application, so the client sends it again, once, with its
 * message, and the call succeeds; a second refusal fails the call with UNAVAILABLE.
 */
@Timeout(30)
class TransparentRetryTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static String call(RawHttp2Server server) throws Exception {
    return call(server, new Attempts());
  }

  private static String call(RawHttp2Server server, Attempts tracer) throws Exception {
    ManagedChannel channel =
        Channel.to("127.0.0.1", server.port()).plaintext().tracer(tracer).build();
    try {
      return ClientCalls.blockingUnary(
          channel, EchoService.UNARY, CallOptions.DEFAULT.withTimeout(WAIT), "x");
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(WAIT);
    }
  }

  @Test
  void aRefusedStreamIsSentAgainOnceAndSucceeds() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    try (RawHttp2Server server =
        RawHttp2Server.start(
            ex -> {
              if (requests.incrementAndGet() == 1) {
                ex.resetStream(Http2Error.REFUSED_STREAM);
              } else {
                RawHttp2Server.grpc(
                        RawHttp2Client.grpcMessage("again"),
                        new DefaultHttp2Headers().add("grpc-status", "0"))
                    .respond(ex);
              }
            })) {
      Attempts attempts = new Attempts();
      assertEquals("again", call(server, attempts));
      assertNull(server.responderError(), "the test's responder failed");
      assertEquals(2, requests.get(), "the refused request came again, with its message");
      // A66/A72: the transparent retry is an attempt of its own, of the same one call.
      assertEquals(
          List.of(
              "attempt 0",
              "attempt-closed UNAVAILABLE",
              "attempt 0 transparent",
              "attempt-closed OK",
              "closed OK"),
          attempts.events);
    }
  }

  /** Records a call's attempts as the channel's tracer sees them. */
  private static final class Attempts implements ClientCallTracer {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public Call callStarted(MethodDescriptor<?, ?> method, String authority) {
      return new Call() {
        @Override
        public Attempt attemptStarted(int previous, boolean transparent) {
          events.add("attempt " + previous + (transparent ? " transparent" : ""));
          return new Attempt() {
            @Override
            public void closed(Status status, Metadata trailers) {
              events.add("attempt-closed " + status.code());
            }
          };
        }

        @Override
        public void closed(Status status, Metadata trailers) {
          events.add("closed " + status.code());
        }
      };
    }
  }

  @Test
  void aSecondRefusalFailsTheCall() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    try (RawHttp2Server server =
        RawHttp2Server.start(
            ex -> {
              requests.incrementAndGet();
              ex.resetStream(Http2Error.REFUSED_STREAM);
            })) {
      dev.strand.StatusException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              dev.strand.StatusException.class, () -> call(server));
      assertEquals(dev.strand.Status.Code.UNAVAILABLE, e.status().code());
      assertTrue(e.getMessage().contains("refused"), e.getMessage());
      assertEquals(2, requests.get(), "once, not more");
    }
  }

  @Test
  void aStreamAboveTheGoAwaysLastStreamIdIsSentAgainOnANewConnection() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    try (RawHttp2Server server =
        RawHttp2Server.start(
            ex -> {
              if (requests.incrementAndGet() == 1) {
                ex.goAwayAndClose(0); // "I processed nothing": stream 1 is above it
              } else {
                RawHttp2Server.grpc(
                        RawHttp2Client.grpcMessage("on a new connection"),
                        new DefaultHttp2Headers().add("grpc-status", "0"))
                    .respond(ex);
              }
            })) {
      assertEquals("on a new connection", call(server));
      assertNull(server.responderError(), "the test's responder failed");
      assertEquals(2, requests.get());
    }
  }
}
