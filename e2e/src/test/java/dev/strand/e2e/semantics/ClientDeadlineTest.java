package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Deadline;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.internal.wire.GrpcTimeout;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import io.grpc.Context;
import io.grpc.ServerServiceDefinition;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Strand client's side of deadlines: per call and channel default, sent as grpc-timeout, and
 * enforced by the client on time even when the server never answers (grpc-java's or Strand's).
 * DEADLINE_EXCEEDED must say what the deadline was and where the time went.
 */
@Timeout(30)
class ClientDeadlineTest {
  /** "deadline of 300 ms exceeded after 301 ms waiting for the server". */
  private static final Pattern DESCRIPTION =
      Pattern.compile("deadline of (\\d+) ms exceeded after (\\d+) ms (.+)");

  private final Peers peers = new Peers();
  private final CountDownLatch grpcHandlerCancelled = new CountDownLatch(1);

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  /**
   * A grpc-java server whose unary handler never answers (but for "ping"), and notes when it is
   * cancelled.
   */
  private int silentGrpcJavaServer() {
    ServerServiceDefinition silent =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_UNARY,
                io.grpc.stub.ServerCalls.asyncUnaryCall(
                    (req, responses) -> {
                      if (Probe.text(req).equals("ping")) {
                        responses.onNext(req);
                        responses.onCompleted();
                        return;
                      }
                      Context.current()
                          .addListener(c -> grpcHandlerCancelled.countDown(), Runnable::run);
                    }))
            .build();
    return peers.grpcServerWith(silent).getPort();
  }

  /**
   * Connects first, so that the time a deadline measures is the server's, not a cold JVM's first
   * connection (which can take 300 ms on a busy machine).
   */
  private static ManagedChannel warm(ManagedChannel channel) {
    ClientCalls.blockingUnary(
        channel,
        Probe.UNARY,
        CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
        Probe.text("ping"));
    return channel;
  }

  private int silentStrandServer(CountDownLatch cancelled) throws Exception {
    ServiceDefinition silent =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.UNARY,
                ServerCalls.unary(
                    req -> {
                      if (Probe.text(req).equals("ping")) {
                        return req;
                      }
                      CountDownLatch done = new CountDownLatch(1);
                      ServerContext.current().onCancel(done::countDown);
                      if (done.await(10, TimeUnit.SECONDS)) {
                        cancelled.countDown();
                      }
                      return req;
                    }))
            .build();
    return peers.start(Peers.strandServer().service(silent)).port();
  }

  /** Calls, expects DEADLINE_EXCEEDED, checks it came on time; returns the exception. */
  private static StatusException expectDeadline(
      ManagedChannel channel, CallOptions options, long deadlineMs) {
    long start = System.nanoTime();
    StatusException e =
        assertThrows(
            StatusException.class,
            () -> ClientCalls.blockingUnary(channel, Probe.UNARY, options, Probe.text("hello")));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code(), e.toString());
    assertTrue(
        tookMs >= deadlineMs - 50 && tookMs < 3000,
        "a " + deadlineMs + " ms deadline fired after " + tookMs + " ms");
    return e;
  }

  private static Matcher describe(StatusException e) {
    Matcher m = DESCRIPTION.matcher(String.valueOf(e.status().description()));
    assertTrue(
        m.matches(),
        "description does not say the deadline and where the time went: "
            + e.status().description());
    return m;
  }

  @Test
  void perCallDeadlineFiresOnTimeAgainstGrpcJavaThatNeverAnswers() throws Exception {
    ManagedChannel channel = warm(peers.strandChannelTo(silentGrpcJavaServer()));
    StatusException e =
        expectDeadline(channel, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)), 300);
    Matcher m = describe(e);
    // About 300 (exactly 300 is descriptionNamesTheConfiguredDeadlineExactly's business).
    int said = Integer.parseInt(m.group(1));
    assertTrue(said > 250 && said <= 300, m.group());
    assertTrue(m.group(3).startsWith("waiting for the server"), m.group());
    // The client's RST_STREAM(CANCEL) reaches grpc-java, whose handler is cancelled.
    assertTrue(grpcHandlerCancelled.await(5, TimeUnit.SECONDS), "grpc-java was not cancelled");
  }

  @Test
  void descriptionNamesTheConfiguredDeadlineExactly() throws Exception {
    ManagedChannel channel = warm(peers.strandChannelTo(silentGrpcJavaServer()));
    Matcher m =
        describe(
            expectDeadline(channel, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)), 300));
    // The user configured 300 ms; "deadline of 299 ms" would send them looking for a bug.
    assertEquals("300", m.group(1), m.group());
  }

  @Test
  void perCallDeadlineFiresOnTimeAgainstStrandThatNeverAnswers() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    ManagedChannel channel = warm(peers.strandChannelTo(silentStrandServer(cancelled)));
    StatusException e =
        expectDeadline(channel, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)), 300);
    assertTrue(describe(e).group(3).startsWith("waiting for the server"), e.toString());
    assertTrue(cancelled.await(5, TimeUnit.SECONDS), "the Strand handler was not cancelled");
  }

  @Test
  void channelDefaultTimeoutAppliesToCallsWithoutOne() throws Exception {
    ManagedChannel channel =
        warm(
            peers.start(
                Peers.strandChannel(silentGrpcJavaServer())
                    .defaultTimeout(Duration.ofMillis(300))));
    StatusException e = expectDeadline(channel, CallOptions.DEFAULT, 300);
    assertTrue(describe(e).group(3).startsWith("waiting for the server"), e.toString());
  }

  @Test
  void aPerCallDeadlineOverridesTheChannelDefault() throws Exception {
    ServerServiceDefinition slow =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_UNARY,
                io.grpc.stub.ServerCalls.asyncUnaryCall(
                    (req, responses) -> {
                      try {
                        Thread.sleep(600);
                      } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                      }
                      responses.onNext(req);
                      responses.onCompleted();
                    }))
            .build();
    ManagedChannel channel =
        peers.start(
            Peers.strandChannel(peers.grpcServerWith(slow).getPort())
                .defaultTimeout(Duration.ofMillis(200)));
    byte[] answer =
        ClientCalls.blockingUnary(
            channel,
            Probe.UNARY,
            CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
            Probe.text("slow"));
    assertEquals("slow", Probe.text(answer));
  }

  @Test
  void deadlineTravelsAsGrpcTimeoutOfAtMostEightDigits() throws Exception {
    int port = silentGrpcJavaServer();
    WireTap tap = peers.add(WireTap.to(port));
    ManagedChannel channel = warm(peers.strandChannelTo(tap.port()));
    expectDeadline(channel, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)), 300);
    // Ten years: too many nanoseconds, milliseconds and seconds for 8 digits.
    var longCall =
        ClientCalls.futureUnary(
            channel,
            Probe.UNARY,
            CallOptions.DEFAULT.withTimeout(Duration.ofDays(3650)),
            Probe.text("long"));
    // The third request head: after the warm-up call's and the short call's.
    tap.await(f -> tap.frames(WireTap.Direction.TO_SERVER, WireTap.HEADERS).size() >= 3, 5000);
    longCall.cancel(true);

    var sent = tap.frames(WireTap.Direction.TO_SERVER, WireTap.HEADERS);
    String shortTimeout = sent.get(1).header("grpc-timeout");
    String longTimeout = sent.get(2).header("grpc-timeout");
    for (String t : new String[] {shortTimeout, longTimeout}) {
      assertNotNull(t, "no grpc-timeout sent");
      assertTrue(t.matches("\\d{1,8}[HMSmun]"), "grpc-timeout '" + t + "' breaks the spec");
    }
    long shortNanos = GrpcTimeout.decode(shortTimeout);
    assertTrue(
        shortNanos > TimeUnit.MILLISECONDS.toNanos(200)
            && shortNanos <= TimeUnit.MILLISECONDS.toNanos(300),
        shortTimeout);
    long longNanos = GrpcTimeout.decode(longTimeout);
    assertTrue(longNanos >= TimeUnit.DAYS.toNanos(3649), longTimeout);
  }

  @Test
  void channelDefaultTimeoutIsSentToo() throws Exception {
    WireTap tap = peers.add(WireTap.to(silentGrpcJavaServer()));
    ManagedChannel channel =
        warm(peers.start(Peers.strandChannel(tap.port()).defaultTimeout(Duration.ofMillis(400))));
    expectDeadline(channel, CallOptions.DEFAULT, 400);
    String timeout =
        tap.frames(WireTap.Direction.TO_SERVER, WireTap.HEADERS).get(1).header("grpc-timeout");
    assertNotNull(timeout, "the channel's default deadline was not sent");
    long nanos = GrpcTimeout.decode(timeout);
    assertTrue(
        nanos > TimeUnit.MILLISECONDS.toNanos(300) && nanos <= TimeUnit.MILLISECONDS.toNanos(400),
        timeout);
  }

  @Test
  void anExpiredDeadlineFailsAtOnceWithoutSendingAnything() throws Exception {
    WireTap tap = peers.add(WireTap.to(silentGrpcJavaServer()));
    ManagedChannel channel = warm(peers.strandChannelTo(tap.port()));
    Deadline past = Deadline.after(-1, TimeUnit.SECONDS);
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    channel,
                    Probe.UNARY,
                    CallOptions.DEFAULT.withDeadline(past),
                    Probe.text("late")));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
    assertTrue(
        e.status().description().contains("before the call started"), e.status().description());
    Thread.sleep(100);
    assertEquals(
        1,
        tap.frames(WireTap.Direction.TO_SERVER, WireTap.HEADERS).size(),
        "a call that was already late was sent anyway");
  }

  @Test
  void timeSpentWaitingForAConnectionIsSaidSo() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(Peers.HOST))) {
      closedPort = s.getLocalPort();
    }
    ManagedChannel channel = peers.strandChannelTo(closedPort);
    StatusException e =
        expectDeadline(
            channel,
            CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)).withWaitForReady(),
            300);
    assertEquals(
        "waiting for a connection to " + Peers.HOST + ":" + closedPort, describe(e).group(3));
  }
}
