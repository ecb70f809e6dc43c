package dev.strand.e2e.docs;

import dev.strand.Deadline;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerContext;
import dev.strand.stub.StreamSink;
import dev.strand.stub.StreamSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * The code of docs/DEADLINES.md. Each region between snippet markers is a block of that page, word
 * for word (DocSnippetsTest checks); DocSnippetsRunTest runs every one.
 */
final class DeadlineSnippets {
  private static final Logger log = Logger.getLogger("docs");

  /** Where a handler's own calls go (another service, in real life). */
  Channel backend;

  /** What the last streaming handler saw, for the tests. */
  volatile boolean sawCancel;

  static String perCall(Channel channel) {
    // snippet:start deadline-per-call
    String reply =
        ClientCalls.blockingUnary(
            channel,
            Greeter.SAY_HELLO,
            CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)),
            "Ada");
    // snippet:end deadline-per-call
    return reply;
  }

  static ManagedChannel channelWithDefault(int port) {
    // snippet:start deadline-channel-default
    ManagedChannel channel =
        Channel.to("127.0.0.1", port)
            .plaintext()
            .defaultTimeout(Duration.ofSeconds(5)) // for every call whose options set no deadline
            .build();
    // snippet:end deadline-channel-default
    return channel;
  }

  static String catchDeadline(Channel channel) {
    // snippet:start deadline-exceeded
    try {
      return ClientCalls.blockingUnary(
          channel,
          Greeter.SAY_HELLO,
          CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)),
          "Ada");
    } catch (StatusException e) {
      if (e.code() == Status.Code.DEADLINE_EXCEEDED) {
        // "deadline of 300 ms exceeded after 301 ms waiting for the server"
        log.warning(e.status().description());
      }
      throw e;
    }
    // snippet:end deadline-exceeded
  }

  // snippet:start deadline-in-handler
  String sayHello(String name) {
    ServerContext ctx = ServerContext.current();
    Deadline deadline = ctx.deadline(); // null when the client set none
    if (deadline != null && deadline.remaining().compareTo(Duration.ofMillis(50)) < 0) {
      throw Status.DEADLINE_EXCEEDED.withDescription("too little time left to start").asException();
    }
    ctx.onCancel(() -> log.info("caller gave up on " + name)); // on an event loop: be quick
    for (String step : plan(name)) {
      if (ctx.isCancelled()) { // the client cancelled, went away, or the deadline passed
        throw Status.CANCELLED.withDescription("stopped at " + step).asException();
      }
      work(step);
    }
    return "Hello " + name;
  }

  // snippet:end deadline-in-handler

  /** Steps done by {@link #work}, for the tests. */
  final java.util.concurrent.atomic.AtomicInteger stepsDone =
      new java.util.concurrent.atomic.AtomicInteger();

  static java.util.List<String> plan(String name) {
    int steps = name.startsWith("slow") ? 50 : 1;
    return java.util.stream.IntStream.range(0, steps).mapToObj(i -> "step " + i).toList();
  }

  private void work(String step) {
    try {
      Thread.sleep(step.equals("step 0") ? 0 : 100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stepsDone.incrementAndGet();
  }

  // snippet:start deadline-nested-call
  String relay(String name) {
    // Made while serving a call: this call gets the smaller of its own deadline and the served
    // call's, and is cancelled if the served call is.
    return ClientCalls.blockingUnary(
        backend, Greeter.SAY_HELLO, CallOptions.DEFAULT.withTimeout(Duration.ofMinutes(1)), name);
  }

  // snippet:end deadline-nested-call

  static void cancelFuture(Channel channel) {
    // snippet:start cancel-future
    CompletableFuture<String> reply =
        ClientCalls.futureUnary(channel, Greeter.SAY_HELLO, CallOptions.DEFAULT, "slow Ada");
    // ... the answer is no longer wanted:
    reply.cancel(true); // RST_STREAM(CANCEL) goes to the server; its handler is told
    // snippet:end cancel-future
  }

  static String firstOnly(Channel channel) {
    // snippet:start cancel-stream-source
    try (StreamSource<String> replies =
        ClientCalls.serverStream(
            channel,
            Greeter.LOTS_OF_REPLIES,
            CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
            "Ada")) {
      return replies.next(); // closing the source before its end cancels the call
    }
    // snippet:end cancel-stream-source
  }

  // snippet:start cancel-blocked-send
  void lotsOfReplies(String name, StreamSink<String> replies) {
    try {
      for (int i = 0; ; i++) {
        replies.send("Hello " + name + " #" + i); // waits while the client does not read
      }
    } catch (StatusException e) {
      // CANCELLED: the client cancelled, went away, or the deadline passed. Stop here.
      sawCancel = e.code() == Status.Code.CANCELLED;
      throw e;
    }
  }
  // snippet:end cancel-blocked-send
}
