package dev.strand.services.reflection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.strand.server.Server;
import dev.strand.services.Peers;
import dev.strand.services.StandardServices;
import dev.strand.services.TestEcho;
import dev.strand.services.reflection.ReflectionClient.Version;
import dev.strand.testing.EchoService;
import io.grpc.Status;
import io.grpc.reflection.v1.ExtensionRequest;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServerReflectionResponse.MessageResponseCase;
import io.grpc.reflection.v1.ServiceResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kind of reflection request, asked by grpc-java's generated v1 and v1alpha clients of a
 * Strand server that serves a test service (four files in its closure), the standard services and a
 * service built by hand without a schema.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class ReflectionServiceTest {
  static final String ECHO_PROTO = "strand/services/test/echo.proto";
  static final String COMMON_PROTO = "strand/services/test/common.proto";
  static final String EXTRAS_PROTO = "strand/services/test/extras.proto";
  static final String TIMESTAMP_PROTO = "google/protobuf/timestamp.proto";
  static final String PAYLOAD = "strand.services.test.Payload";

  Server server;
  io.grpc.ManagedChannel channel;

  @BeforeAll
  void start() throws Exception {
    var builder = Peers.strandServer().service(new TestEcho()).service(EchoService.definition());
    StandardServices.addTo(builder);
    server = builder.start();
    channel = Peers.grpcJavaChannel(server.port());
  }

  @AfterAll
  void stop() throws Exception {
    Peers.close(channel);
    Peers.close(server);
  }

  ReflectionClient open(Version version) {
    return new ReflectionClient(channel, version);
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void listsEveryServiceThatHasASchema(Version version) throws Exception {
    try (ReflectionClient r = open(version)) {
      ServerReflectionResponse response = r.ask(request().setListServices("*").build());
      Set<String> names =
          response.getListServicesResponse().getServiceList().stream()
              .map(ServiceResponse::getName)
              .collect(Collectors.toSet());
      assertEquals(
          Set.of(
              "strand.services.test.Echo",
              "grpc.health.v1.Health",
              "grpc.reflection.v1.ServerReflection",
              "grpc.reflection.v1alpha.ServerReflection"),
          names,
          "the hand-made strand.test.Echo has no schema, so it is not listed");
      assertEquals("localhost", response.getValidHost());
      assertEquals("*", response.getOriginalRequest().getListServices());
    }
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void symbolGetsItsFileFirstThenEveryImport(Version version) throws Exception {
    try (ReflectionClient r = open(version)) {
      List<FileDescriptorProto> files =
          files(r.ask(request().setFileContainingSymbol("strand.services.test.Echo").build()));
      assertEquals(ECHO_PROTO, files.get(0).getName());
      assertEquals(Set.of(ECHO_PROTO, COMMON_PROTO, EXTRAS_PROTO, TIMESTAMP_PROTO), names(files));
      assertEquals(4, files.size(), "each file once");
    }
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void aStreamDoesNotResendFilesItAlreadySent(Version version) throws Exception {
    try (ReflectionClient r = open(version)) {
      r.ask(request().setFileContainingSymbol("strand.services.test.Echo").build());
      // Already sent, and so are its imports; the file asked for comes again all the same.
      assertEquals(
          List.of(COMMON_PROTO),
          fileNames(r.ask(request().setFileContainingSymbol(PAYLOAD).build())));
      assertEquals(
          List.of(EXTRAS_PROTO),
          fileNames(r.ask(request().setFileByFilename(EXTRAS_PROTO).build())));
    }
    try (ReflectionClient fresh = open(version)) {
      assertEquals(
          List.of(EXTRAS_PROTO, COMMON_PROTO),
          fileNames(fresh.ask(request().setFileByFilename(EXTRAS_PROTO).build())),
          "a new stream starts afresh");
    }
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void everyKindOfSymbolIsFound(Version version) throws Exception {
    try (ReflectionClient r = open(version)) {
      assertFileOf(r, "strand.services.test.Echo.Say", ECHO_PROTO); // method
      assertFileOf(r, "strand.services.test.EchoRequest", ECHO_PROTO); // message
      assertFileOf(r, "strand.services.test.EchoRequest.Mood", ECHO_PROTO); // nested enum
      assertFileOf(r, "strand.services.test.EchoRequest.payload", ECHO_PROTO); // field
      assertFileOf(r, "strand.services.test.priority", EXTRAS_PROTO); // extension
      assertFileOf(r, PAYLOAD, COMMON_PROTO);
      assertFileOf(r, "google.protobuf.Timestamp", TIMESTAMP_PROTO); // import
      assertFileOf(r, "grpc.health.v1.Health", "grpc/health/v1/health.proto"); // standard
      assertFileOf(r, "grpc.reflection.v1.ServerReflection", "grpc/reflection/v1/reflection.proto");
    }
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void fileByFilename(Version version) throws Exception {
    try (ReflectionClient r = open(version)) {
      List<String> names = fileNames(r.ask(request().setFileByFilename(ECHO_PROTO).build()));
      assertEquals(ECHO_PROTO, names.get(0));
      assertEquals(
          Set.of(ECHO_PROTO, COMMON_PROTO, EXTRAS_PROTO, TIMESTAMP_PROTO), Set.copyOf(names));
    }
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void fileContainingExtension(Version version) throws Exception {
    try (ReflectionClient r = open(version)) {
      assertEquals(
          List.of(EXTRAS_PROTO, COMMON_PROTO),
          fileNames(r.ask(request().setFileContainingExtension(extension(PAYLOAD, 142)).build())));
      assertError(
          r.ask(request().setFileContainingExtension(extension(PAYLOAD, 150)).build()),
          Status.Code.NOT_FOUND);
      assertError(
          r.ask(request().setFileContainingExtension(extension("no.Such", 100)).build()),
          Status.Code.NOT_FOUND);
    }
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void allExtensionNumbersOfType(Version version) throws Exception {
    try (ReflectionClient r = open(version)) {
      var numbers =
          r.ask(request().setAllExtensionNumbersOfType(PAYLOAD).build())
              .getAllExtensionNumbersResponse();
      assertEquals(PAYLOAD, numbers.getBaseTypeName());
      assertEquals(List.of(100, 142), numbers.getExtensionNumberList());

      var none =
          r.ask(request().setAllExtensionNumbersOfType("strand.services.test.EchoRequest").build());
      assertEquals(
          MessageResponseCase.ALL_EXTENSION_NUMBERS_RESPONSE, none.getMessageResponseCase());
      assertEquals(0, none.getAllExtensionNumbersResponse().getExtensionNumberCount());

      assertError(
          r.ask(request().setAllExtensionNumbersOfType("no.Such").build()), Status.Code.NOT_FOUND);
    }
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void errorsAnswerTheRequestAndKeepTheStreamOpen(Version version) throws Exception {
    try (ReflectionClient r = open(version)) {
      ServerReflectionRequest missingFile = request().setFileByFilename("no/such.proto").build();
      ServerReflectionResponse error = r.ask(missingFile);
      assertError(error, Status.Code.NOT_FOUND);
      assertEquals(missingFile, error.getOriginalRequest());
      assertTrue(error.getErrorResponse().getErrorMessage().contains("no/such.proto"));

      assertError(
          r.ask(request().setFileContainingSymbol("no.Such").build()), Status.Code.NOT_FOUND);
      assertError(
          r.ask(request().setFileContainingSymbol("strand.test.Echo").build()),
          Status.Code.NOT_FOUND); // the schema-less service cannot be described
      assertError(r.ask(request().build()), Status.Code.INVALID_ARGUMENT);

      // Still answering.
      assertEquals(
          MessageResponseCase.LIST_SERVICES_RESPONSE,
          r.ask(request().setListServices("").build()).getMessageResponseCase());
    }
  }

  static ServerReflectionRequest.Builder request() {
    return ServerReflectionRequest.newBuilder().setHost("localhost");
  }

  static ExtensionRequest extension(String type, int number) {
    return ExtensionRequest.newBuilder().setContainingType(type).setExtensionNumber(number).build();
  }

  static void assertFileOf(ReflectionClient r, String symbol, String file) throws Exception {
    List<String> names = fileNames(r.ask(request().setFileContainingSymbol(symbol).build()));
    assertEquals(file, names.get(0), symbol);
  }

  static void assertError(ServerReflectionResponse response, Status.Code code) {
    assertEquals(
        MessageResponseCase.ERROR_RESPONSE, response.getMessageResponseCase(), response.toString());
    assertEquals(code.value(), response.getErrorResponse().getErrorCode());
  }

  static List<FileDescriptorProto> files(ServerReflectionResponse response)
      throws InvalidProtocolBufferException {
    assertEquals(
        MessageResponseCase.FILE_DESCRIPTOR_RESPONSE,
        response.getMessageResponseCase(),
        response.toString());
    List<FileDescriptorProto> files = new ArrayList<>();
    for (ByteString bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      files.add(FileDescriptorProto.parseFrom(bytes));
    }
    return files;
  }

  static List<String> fileNames(ServerReflectionResponse response)
      throws InvalidProtocolBufferException {
    return files(response).stream().map(FileDescriptorProto::getName).toList();
  }

  static Set<String> names(List<FileDescriptorProto> files) {
    return files.stream().map(FileDescriptorProto::getName).collect(Collectors.toSet());
  }
}
