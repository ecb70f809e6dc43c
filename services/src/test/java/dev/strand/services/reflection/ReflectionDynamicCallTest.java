package dev.strand.services.reflection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.strand.MethodType;
import dev.strand.client.ManagedChannel;
import dev.strand.protobuf.ProtoMarshaller;
import dev.strand.server.Server;
import dev.strand.services.Peers;
import dev.strand.services.StandardServices;
import dev.strand.services.TestEcho;
import dev.strand.services.reflection.ReflectionClient.Version;
import io.grpc.CallOptions;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCalls;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What grpcurl does: knowing nothing but the address, list the services, fetch a service's
 * descriptors, rebuild them from the bytes, and call a method with messages built from them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class ReflectionDynamicCallTest {
  Server server;
  io.grpc.ManagedChannel grpcJava;
  ManagedChannel strand;

  @BeforeAll
  void start() throws Exception {
    var builder = Peers.strandServer().service(new TestEcho());
    StandardServices.addTo(builder);
    server = builder.start();
    grpcJava = Peers.grpcJavaChannel(server.port());
    strand = Peers.strandChannel(server.port());
  }

  @AfterAll
  void stop() throws Exception {
    Peers.close(grpcJava);
    Peers.close(strand);
    Peers.close(server);
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void callsAServiceKnownOnlyThroughReflection(Version version) throws Exception {
    MethodDescriptor say = discoverSay(version);
    DynamicMessage request = loudRequest(say.getInputType(), "hello reflection");

    // Through grpc-java, with an io.grpc.MethodDescriptor over DynamicMessage.
    io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage> method =
        io.grpc.MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
            .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(
                io.grpc.MethodDescriptor.generateFullMethodName(
                    say.getService().getFullName(), say.getName()))
            .setRequestMarshaller(
                ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(say.getInputType())))
            .setResponseMarshaller(
                ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(say.getOutputType())))
            .build();
    DynamicMessage reply =
        ClientCalls.blockingUnaryCall(
            grpcJava, method, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
    assertReply(reply, "HELLO REFLECTION");

    // Through Strand's own client, with ProtoMarshaller over DynamicMessage.
    var strandMethod =
        dev.strand.MethodDescriptor.of(
            MethodType.UNARY,
            say.getService().getFullName() + "/" + say.getName(),
            ProtoMarshaller.of(DynamicMessage.getDefaultInstance(say.getInputType())),
            ProtoMarshaller.of(DynamicMessage.getDefaultInstance(say.getOutputType())));
    DynamicMessage again =
        dev.strand.stub.ClientCalls.blockingUnary(
            strand,
            strandMethod,
            dev.strand.client.CallOptions.DEFAULT.withTimeout(Peers.CALL_TIMEOUT),
            request);
    assertReply(again, "HELLO REFLECTION");
  }

  /** The Say method, found the way a tool finds it: from the service list down. */
  MethodDescriptor discoverSay(Version version) throws Exception {
    try (ReflectionClient r = new ReflectionClient(grpcJava, version)) {
      String echo =
          r
              .ask(ServerReflectionRequest.newBuilder().setListServices("").build())
              .getListServicesResponse()
              .getServiceList()
              .stream()
              .map(ServiceResponse::getName)
              .filter(n -> n.endsWith(".Echo"))
              .findFirst()
              .orElseThrow();
      var files =
          r.ask(ServerReflectionRequest.newBuilder().setFileContainingSymbol(echo).build())
              .getFileDescriptorResponse()
              .getFileDescriptorProtoList();

      Map<String, FileDescriptorProto> protos = new HashMap<>();
      for (ByteString bytes : files) {
        FileDescriptorProto proto = FileDescriptorProto.parseFrom(bytes);
        protos.put(proto.getName(), proto);
      }
      // The first file is the one that declares the symbol; the rest are what it needs.
      FileDescriptor file =
          build(FileDescriptorProto.parseFrom(files.get(0)).getName(), protos, new HashMap<>());
      ServiceDescriptor service = file.findServiceByName(echo.substring(echo.lastIndexOf('.') + 1));
      assertNotNull(service, echo + " in " + file.getName());
      return service.findMethodByName("Say");
    }
  }

  static FileDescriptor build(
      String name, Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built)
      throws DescriptorValidationException {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    assertNotNull(proto, "reflection did not send " + name);
    FileDescriptor[] dependencies = new FileDescriptor[proto.getDependencyCount()];
    for (int i = 0; i < dependencies.length; i++) {
      dependencies[i] = build(proto.getDependency(i), protos, built);
    }
    FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies);
    built.put(name, file);
    return file;
  }

  static DynamicMessage loudRequest(Descriptor type, String text) {
    Descriptor payloadType = type.findFieldByName("payload").getMessageType();
    DynamicMessage payload =
        DynamicMessage.newBuilder(payloadType)
            .setField(payloadType.findFieldByName("text"), text)
            .build();
    var mood = type.findFieldByName("mood");
    Descriptor timestampType = type.findFieldByName("sent_at").getMessageType();
    DynamicMessage sentAt =
        DynamicMessage.newBuilder(timestampType)
            .setField(timestampType.findFieldByName("seconds"), 1_700_000_000L)
            .build();
    return DynamicMessage.newBuilder(type)
        .setField(type.findFieldByName("payload"), payload)
        .setField(mood, mood.getEnumType().findValueByName("LOUD"))
        .setField(type.findFieldByName("sent_at"), sentAt)
        .build();
  }

  static void assertReply(DynamicMessage reply, String text) {
    Descriptor type = reply.getDescriptorForType();
    assertEquals(text, reply.getField(type.findFieldByName("text")));
    DynamicMessage note = (DynamicMessage) reply.getField(type.findFieldByName("note"));
    assertTrue(note.toString().contains("echoed by Strand"), note.toString());
  }
}
