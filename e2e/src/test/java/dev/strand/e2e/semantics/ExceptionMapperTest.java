package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.Status;
import dev.strand.server.ExceptionMapper;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ServerCalls;
import io.grpc.StatusRuntimeException;
import java.util.NoSuchElementException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's exception mapper decides what a handler's exception sends, for every handler style,
 * and interceptors see the mapped status. A StatusException still speaks for itself, and a mapper
 * that declines or throws leaves the safe default (UNKNOWN, no details).
 */
@Timeout(30)
class ExceptionMapperTest {
  private static final ExceptionMapper NOT_FOUND_FOR_MISSING =
      error -> {
        if (error instanceof NoSuchElementException) {
          return Status.NOT_FOUND.withDescription("no such thing: " + error.getMessage());
        }
        if (error instanceof IllegalStateException) {
          throw new IllegalArgumentException("a broken mapper");
        }
        return null;
      };

  private final Peers peers = new Peers();
  private final LinkedBlockingQueue<Status.Code> closes = new LinkedBlockingQueue<>();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  /** Unary throws whatever the request names; server streaming fails its async observer. */
  private io.grpc.ManagedChannel start(ExceptionMapper mapper) throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.UNARY,
                ServerCalls.unary(
                    req -> {
                      throw failure(Probe.text(req));
                    }))
            .method(
                Probe.SERVER_STREAM,
                ServerCalls.asyncServerStreaming(
                    (byte[] req, dev.strand.stub.CallStreamObserver<byte[]> out) ->
                        out.onError(failure(Probe.text(req)))))
            .build();
    var builder = Peers.strandServer().interceptor(new RecordingCloses(closes)).service(service);
    if (mapper != null) {
      builder.exceptionMapper(mapper);
    }
    return peers.grpcChannelTo(peers.start(builder).port());
  }

  private static RuntimeException failure(String kind) {
    return switch (kind) {
      case "missing" -> new NoSuchElementException("order 42");
      case "status" -> Status.ALREADY_EXISTS.withDescription("said by the handler").asException();
      case "wrapped-status" ->
          new RuntimeException(Status.ABORTED.withDescription("deep inside").asException());
      case "broken-mapper" -> new IllegalStateException("secret detail");
      default -> new UnsupportedOperationException("secret detail");
    };
  }

  @Test
  void aBlockingHandlersExceptionIsMapped() throws Exception {
    io.grpc.Status status = unary(start(NOT_FOUND_FOR_MISSING), "missing");
    assertEquals(io.grpc.Status.Code.NOT_FOUND, status.getCode());
    assertEquals("no such thing: order 42", status.getDescription());
    assertEquals(Status.Code.NOT_FOUND, closes.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void anAsyncHandlersErrorIsMapped() throws Exception {
    var responses =
        io.grpc.stub.ClientCalls.blockingServerStreamingCall(
            start(NOT_FOUND_FOR_MISSING),
            Probe.G_SERVER_STREAM,
            io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
            Probe.text("missing"));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, responses::hasNext);
    assertEquals(io.grpc.Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertEquals(Status.Code.NOT_FOUND, closes.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void aStatusExceptionSpeaksForItselfEvenDeepInTheCauseChain() throws Exception {
    var channel = start(error -> Status.INTERNAL.withDescription("the mapper was asked"));
    assertEquals(io.grpc.Status.Code.ALREADY_EXISTS, unary(channel, "status").getCode());
    io.grpc.Status deep = unary(channel, "wrapped-status");
    assertEquals(io.grpc.Status.Code.ABORTED, deep.getCode());
    assertEquals("deep inside", deep.getDescription());
  }

  @Test
  void aMapperThatDeclinesOrThrowsLeavesTheSafeDefault() throws Exception {
    var channel = start(NOT_FOUND_FOR_MISSING);
    for (String kind : new String[] {"other", "broken-mapper"}) {
      io.grpc.Status status = unary(channel, kind);
      assertEquals(io.grpc.Status.Code.UNKNOWN, status.getCode(), kind);
      assertEquals("application error", status.getDescription(), kind + ": no detail leaks");
    }
  }

  @Test
  void withoutAMapperAnExceptionIsUnknownWithoutDetails() throws Exception {
    io.grpc.Status status = unary(start(null), "missing");
    assertEquals(io.grpc.Status.Code.UNKNOWN, status.getCode());
    assertEquals("application error", status.getDescription());
  }

  private static io.grpc.Status unary(io.grpc.ManagedChannel channel, String kind) {
    return assertThrows(
            StatusRuntimeException.class,
            () ->
                io.grpc.stub.ClientCalls.blockingUnaryCall(
                    channel,
                    Probe.G_UNARY,
                    io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                    Probe.text(kind)))
        .getStatus();
  }
}
