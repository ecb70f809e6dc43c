package dev.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.BidiStreamCall;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ClientStreamCall;
import dev.strand.stub.ServerCalls;
import dev.strand.testing.Utf8Marshaller;
import org.junit.jupiter.api.Test;

/** A streaming handler may finish before the client stops sending; its answer still counts. */
class EarlyFinishTest {
  static final MethodDescriptor<String, String> FIRST =
      MethodDescriptor.of(
          MethodType.CLIENT_STREAMING,
          "strand.test.Early/First",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);
  static final MethodDescriptor<String, String> REJECT =
      MethodDescriptor.of(
          MethodType.BIDI_STREAMING,
          "strand.test.Early/Reject",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);

  @Test
  void handlersThatReturnEarlySendTheirOwnStatus() throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder("strand.test.Early")
            .method(FIRST, ServerCalls.clientStreaming(requests -> "first:" + requests.next()))
            .method(
                REJECT,
                ServerCalls.bidiStreaming(
                    (requests, responses) -> {
                      requests.next();
                      throw Status.INVALID_ARGUMENT.withDescription("no thanks").asException();
                    }))
            .build();
    try (Server server = Server.builder().address("127.0.0.1", 0).service(service).start();
        ManagedChannel channel = Channel.to("127.0.0.1", server.port()).plaintext().build()) {
      ClientStreamCall<String, String> call =
          ClientCalls.clientStream(channel, FIRST, CallOptions.DEFAULT);
      call.send("a");
      assertEquals("first:a", call.finishAsync().handle((r, t) -> r).get());

      BidiStreamCall<String, String> bidi =
          ClientCalls.bidiStream(channel, REJECT, CallOptions.DEFAULT);
      bidi.send("x");
      StatusException e =
          org.junit.jupiter.api.Assertions.assertThrows(StatusException.class, bidi::next);
      assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
      assertEquals("no thanks", e.status().description());
    }
  }
}
