package dev.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.internal.exec.BlockingExecutors;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.testing.Utf8Marshaller;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/** Blocking handlers run on virtual threads where the JVM has them, on a pool otherwise. */
class BlockingHandlersTest {
  static final MethodDescriptor<String, String> WHERE =
      MethodDescriptor.of(
          MethodType.UNARY,
          "strand.test.Where/Thread",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);

  @Test
  void handlerThreadKindFollowsTheJvm() throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder("strand.test.Where")
            .method(
                WHERE,
                ServerCalls.unary(
                    request ->
                        isVirtual(Thread.currentThread())
                            ? "virtual"
                            : "platform:" + Thread.currentThread().getName()))
            .build();
    try (Server server = Server.builder().address("127.0.0.1", 0).service(service).start();
        ManagedChannel channel = Channel.to("127.0.0.1", server.port()).plaintext().build()) {
      String where = ClientCalls.blockingUnary(channel, WHERE, CallOptions.DEFAULT, "?");
      if (BlockingExecutors.virtualThreadsAvailable()) {
        assertEquals("virtual", where);
      } else {
        assertEquals(true, where.startsWith("platform:strand-handler-"), where);
      }
    }
  }

  private static boolean isVirtual(Thread t) throws Exception {
    try {
      Method m = Thread.class.getMethod("isVirtual");
      return (boolean) m.invoke(t);
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
