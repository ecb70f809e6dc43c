package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.protobuf.ProtoMarshaller;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.StreamSource;
import io.grpc.protobuf.lite.ProtoLiteUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Large protobuf messages arrive byte for byte, against grpc-java in both directions. Strand parses
 * a message of 32 KiB or more from an array of its own and lets its bytes fields share that array,
 * so every message of a stream is kept until the stream ends and only then compared: a later
 * message must not have changed an earlier one. The sizes straddle the 32 KiB line and the 16 KiB
 * DATA frame, and the contents are random (zeros would hide a misplaced copy).
 */
@Timeout(60)
class LargeMessageContentTest {
  /** Largest first: a reused array would then hold every later message. */
  private static final int[] SIZES = {
    1024 * 1024 + 3, 100, 64 * 1024 + 5, 32 * 1024, 300_000, 32 * 1024 - 1, 40_000
  };

  private static final MethodDescriptor<BytesValue, BytesValue> S_DOWNLOAD =
      Probe.strand(
          MethodType.SERVER_STREAMING,
          "Download",
          ProtoMarshaller.of(BytesValue.getDefaultInstance()),
          ProtoMarshaller.of(BytesValue.getDefaultInstance()));
  private static final MethodDescriptor<BytesValue, BytesValue> S_UPLOAD =
      Probe.strand(
          MethodType.CLIENT_STREAMING,
          "Upload",
          ProtoMarshaller.of(BytesValue.getDefaultInstance()),
          ProtoMarshaller.of(BytesValue.getDefaultInstance()));
  private static final io.grpc.MethodDescriptor<BytesValue, BytesValue> G_DOWNLOAD =
      Probe.grpc(
          io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING,
          "Download",
          ProtoLiteUtils.marshaller(BytesValue.getDefaultInstance()),
          ProtoLiteUtils.marshaller(BytesValue.getDefaultInstance()));
  private static final io.grpc.MethodDescriptor<BytesValue, BytesValue> G_UPLOAD =
      Probe.grpc(
          io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING,
          "Upload",
          ProtoLiteUtils.marshaller(BytesValue.getDefaultInstance()),
          ProtoLiteUtils.marshaller(BytesValue.getDefaultInstance()));

  private final Peers peers = new Peers();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  private static BytesValue message(int i) {
    byte[] body = new byte[SIZES[i]];
    new Random(i).nextBytes(body);
    return BytesValue.of(ByteString.copyFrom(body));
  }

  private static ByteString allMessages() {
    ByteString all = ByteString.EMPTY;
    for (int i = 0; i < SIZES.length; i++) {
      all = all.concat(message(i).getValue());
    }
    return all;
  }

  @Test
  void strandClientKeepsEveryMessageAGrpcJavaServerStreamed() throws Exception {
    io.grpc.ServerServiceDefinition service =
        io.grpc.ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                G_DOWNLOAD,
                io.grpc.stub.ServerCalls.asyncServerStreamingCall(
                    (request, responses) -> {
                      for (int i = 0; i < SIZES.length; i++) {
                        responses.onNext(message(i));
                      }
                      responses.onCompleted();
                    }))
            .build();
    ManagedChannel channel = peers.strandChannelTo(peers.grpcServerWith(service).getPort());
    List<BytesValue> received = new ArrayList<>();
    try (StreamSource<BytesValue> responses =
        ClientCalls.serverStream(
            channel,
            S_DOWNLOAD,
            CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)),
            BytesValue.getDefaultInstance())) {
      for (BytesValue response : responses) {
        received.add(response);
      }
    }
    assertEquals(SIZES.length, received.size());
    for (int i = 0; i < SIZES.length; i++) {
      assertEquals(message(i), received.get(i), "message " + i + " of " + SIZES[i] + " bytes");
    }
  }

  @Test
  void strandServerKeepsEveryMessageAGrpcJavaClientStreamed() throws Exception {
    // The server answers with all it received, joined only after the last message arrived.
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                S_UPLOAD,
                ServerCalls.clientStreaming(
                    requests -> {
                      List<BytesValue> kept = new ArrayList<>();
                      for (BytesValue request : requests) {
                        kept.add(request);
                      }
                      ByteString all = ByteString.EMPTY;
                      for (BytesValue m : kept) {
                        all = all.concat(m.getValue());
                      }
                      return BytesValue.of(all);
                    }))
            .build();
    io.grpc.ManagedChannel channel =
        peers.grpcChannelTo(peers.start(Peers.strandServer().service(service)).port());
    CompletableFuture<BytesValue> answer = new CompletableFuture<>();
    StreamObserver<BytesValue> requests =
        io.grpc.stub.ClientCalls.asyncClientStreamingCall(
            channel.newCall(
                G_UPLOAD, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)),
            new StreamObserver<>() {
              @Override
              public void onNext(BytesValue value) {
                answer.complete(value);
              }

              @Override
              public void onError(Throwable t) {
                answer.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {}
            });
    for (int i = 0; i < SIZES.length; i++) {
      requests.onNext(message(i));
    }
    requests.onCompleted();
    assertEquals(allMessages(), answer.get(30, TimeUnit.SECONDS).getValue());
  }
}
