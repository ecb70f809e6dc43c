package dev.strand.web.grpcweb;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.web.grpcweb.Http1Client.Response;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A9's limits on HTTP/1.1 connections, from a socket: an idle kept-alive connection is closed after
 * maxConnectionIdle; one past maxConnectionAge is closed when idle, or says {@code Connection:
 * close} on the response in progress and closes after it, or when maxConnectionAgeGrace is over.
 */
class Http11ConnectionLimitsTest {
  private static final String STREAMING = "grpc.testing.TestService/StreamingOutputCall";
  private static final String BINARY = "application/grpc-web+proto";

  /** Far above every limit set here, far below Http1Client's 10 s read timeout. */
  private static final long CLOSE_BOUND_NANOS = Duration.ofSeconds(8).toNanos();

  private WebTestServer server;
  private Http1Client client;

  private void start(Consumer<dev.strand.server.ServerBuilder> setup) throws Exception {
    server = new WebTestServer(setup);
    client = new Http1Client(server.port());
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** A server stream whose first message comes after {@code delayMillis}. */
  private static byte[] delayedStream(int delayMillis) {
    return Http1Client.post(
        STREAMING,
        BINARY,
        WebFrames.message(
            StreamingOutputCallRequest.newBuilder()
                .addResponseParameters(
                    ResponseParameters.newBuilder().setSize(3).setIntervalUs(delayMillis * 1000))
                .build()));
  }

  private void assertClosedSoon() throws IOException {
    long start = System.nanoTime();
    assertTrue(client.closedByServer(), "the server closed the connection");
    assertTrue(System.nanoTime() - start < CLOSE_BOUND_NANOS, "closed in time");
  }

  @Test
  void anIdleKeptAliveConnectionIsClosedAfterMaxConnectionIdle() throws Exception {
    start(b -> b.maxConnectionIdle(Duration.ofMillis(300)));
    client.write(delayedStream(0));
    Response response = client.read();
    assertEquals(200, response.status(), response::toString);
    assertNull(response.header("connection"), "kept alive while in use");
    assertClosedSoon();
  }

  @Test
  void aRequestHeadThatNeverEndsIsClosedAfterMaxConnectionIdle() throws Exception {
    // Well before the handshake timeout (20 s by default), which otherwise bounds the wait.
    start(b -> b.maxConnectionIdle(Duration.ofMillis(300)));
    client.write(
        "POST /grpc.testing.TestService/UnaryCall HTTP/1.1\r\nHost: 127".getBytes(US_ASCII));
    assertClosedSoon();
  }

  @Test
  void aBusyConnectionIsNotIdle() throws Exception {
    start(b -> b.maxConnectionIdle(Duration.ofMillis(200)));
    // The response takes longer than the idle limit: the connection is in use meanwhile.
    client.write(delayedStream(1000));
    Response response = client.read();
    assertEquals(200, response.status(), response::toString);
    assertEquals(2, WebFrames.parse(response.body()).size(), response::toString);
  }

  @Test
  void anIdleConnectionPastMaxConnectionAgeIsClosed() throws Exception {
    start(b -> b.maxConnectionAge(Duration.ofMillis(400), null));
    client.write(delayedStream(0));
    assertEquals(200, client.read().status());
    assertClosedSoon();
  }

  @Test
  void theResponseInProgressAtMaxConnectionAgeSaysConnectionClose() throws Exception {
    start(b -> b.maxConnectionAge(Duration.ofMillis(200), null));
    // Its head leaves with the first message, after the age (at most 220 ms with jitter).
    client.write(delayedStream(1000));
    Response response = client.read();
    assertEquals(200, response.status(), response::toString);
    assertEquals("close", response.header("connection"), response.headers()::toString);
    List<WebFrames.Frame> frames = WebFrames.parse(response.body());
    assertEquals(2, frames.size(), response::toString);
    assertEquals("grpc-status:0\r\n", new String(frames.get(1).payload(), US_ASCII));
    assertClosedSoon();
  }

  @Test
  void maxConnectionAgeGraceBoundsTheRequestInProgress() throws Exception {
    start(b -> b.maxConnectionAge(Duration.ofMillis(200), Duration.ofMillis(300)));
    client.write(delayedStream(6000));
    long start = System.nanoTime();
    IOException cut = assertThrows(IOException.class, client::read);
    assertTrue(!(cut instanceof SocketTimeoutException), "closed, not timed out: " + cut);
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "cut by the grace");
  }
}
