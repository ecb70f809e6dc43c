package dev.strand.services.reflection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.grpc.Status;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One ServerReflectionInfo stream opened by grpc-java's generated client, v1 or v1alpha. Tests
 * speak v1 messages either way; for v1alpha they cross over as bytes, the two protos sharing one
 * wire format, while the call itself goes to the real v1alpha service and method.
 */
final class ReflectionClient implements AutoCloseable {
  /** The two versions of the protocol a tool may speak. */
  enum Version {
    V1,
    V1ALPHA
  }

  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final StreamObserver<ServerReflectionRequest> requests;

  ReflectionClient(io.grpc.Channel channel, Version version) {
    if (version == Version.V1) {
      requests =
          ServerReflectionGrpc.newStub(channel)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .serverReflectionInfo(collect(events, r -> r));
    } else {
      StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> alpha =
          io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .serverReflectionInfo(
                  collect(events, r -> convert(r, ServerReflectionResponse.parser())));
      requests =
          new StreamObserver<>() {
            @Override
            public void onNext(ServerReflectionRequest value) {
              alpha.onNext(
                  convert(value, io.grpc.reflection.v1alpha.ServerReflectionRequest.parser()));
            }

            @Override
            public void onError(Throwable t) {
              alpha.onError(t);
            }

            @Override
            public void onCompleted() {
              alpha.onCompleted();
            }
          };
    }
  }

  /** Sends one request and waits (10 s at most) for its one response. */
  ServerReflectionResponse ask(ServerReflectionRequest request) throws InterruptedException {
    requests.onNext(request);
    Object event = events.poll(10, TimeUnit.SECONDS);
    assertNotNull(event, "no response within 10 s to " + request);
    if (!(event instanceof ServerReflectionResponse response)) {
      throw new AssertionError("stream ended with " + event + " instead of answering " + request);
    }
    return response;
  }

  /** Half-closes and checks that the server ends the stream with OK. */
  @Override
  public void close() {
    requests.onCompleted();
    try {
      assertEquals(Status.OK, events.poll(10, TimeUnit.SECONDS), "stream end");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for the stream to end", e);
    }
  }

  private interface Convert<T> {
    ServerReflectionResponse apply(T response);
  }

  private static <T> StreamObserver<T> collect(BlockingQueue<Object> events, Convert<T> convert) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        events.add(convert.apply(value));
      }

      @Override
      public void onError(Throwable t) {
        events.add(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        events.add(Status.OK);
      }
    };
  }

  private static <T> T convert(MessageLite message, Parser<T> parser) {
    try {
      return parser.parseFrom(message.toByteString());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
