package dev.strand.e2e.docs;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.server.BindableService;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerContext;
import java.time.Duration;
import java.util.Map;
import java.util.NoSuchElementException;

/** The code of docs/ERRORS.md; see {@link DeadlineSnippets} for how it is kept honest. */
final class ErrorSnippets {
  private final Map<String, String> greetings = Map.of("Ada", "Hello Ada");

  // snippet:start error-throw-status
  String sayHello(String name) {
    String greeting = greetings.get(name);
    if (greeting == null) {
      Metadata trailers =
          new Metadata()
              .add("x-known-names", String.join(",", greetings.keySet()))
              .addBinary("x-request-bin", name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      throw Status.NOT_FOUND.withDescription("no greeting for " + name).asException(trailers);
    }
    ServerContext.current().responseTrailers().add("x-served-by", "greeter-1"); // on OK too
    return greeting;
  }

  // snippet:end error-throw-status

  static String greetOrExplain(Channel channel, String name) {
    // snippet:start error-catch-status
    try {
      return ClientCalls.blockingUnary(
          channel, Greeter.SAY_HELLO, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)), name);
    } catch (StatusException e) {
      Status status = e.status(); // code and description, as the server sent them
      String known = e.trailers().get("x-known-names");
      if (status.code() == Status.Code.NOT_FOUND && known != null) {
        return status.description() + "; try one of " + known;
      }
      throw e;
    }
    // snippet:end error-catch-status
  }

  // snippet:start error-plain-exception
  String sayGoodbye(String name) {
    // Not a StatusException: the client gets UNKNOWN "application error"; the message and the
    // stack trace go to this server's log only.
    throw new IllegalStateException("connection to db-7 refused (password=hunter2)");
  }

  // snippet:end error-plain-exception

  // snippet:start error-status-cause
  String sayAgain(String name) {
    try {
      return lookUp(name);
    } catch (java.io.IOException e) {
      // The description travels; the cause stays here, for logs and debuggers.
      throw Status.UNAVAILABLE
          .withDescription("greeting store unreachable, retry later")
          .withCause(e)
          .asException();
    }
  }

  // snippet:end error-status-cause

  static Server serverMappingMissingToNotFound(BindableService orders) throws java.io.IOException {
    // snippet:start error-exception-mapper
    Server server =
        Server.builder()
            .exceptionMapper(
                e ->
                    e instanceof NoSuchElementException
                        ? Status.NOT_FOUND.withDescription(e.getMessage())
                        : null)
            .service(orders)
            .start();
    // snippet:end error-exception-mapper
    return server;
  }

  private static String lookUp(String name) throws java.io.IOException {
    throw new java.io.IOException("db-7:5432 refused looking up " + name + " (password=hunter2)");
  }
}
