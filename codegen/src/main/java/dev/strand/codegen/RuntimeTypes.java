package dev.strand.codegen;

import java.util.List;

/** The Strand and JDK classes generated code names. Their simple names are always imported. */
final class RuntimeTypes {
  private RuntimeTypes() {}

  static final String METHOD_DESCRIPTOR = "dev.strand.MethodDescriptor";
  static final String METHOD_TYPE = "dev.strand.MethodType";
  static final String DEADLINE = "dev.strand.Deadline";
  static final String CALL_OPTIONS = "dev.strand.client.CallOptions";
  static final String CHANNEL = "dev.strand.client.Channel";
  static final String PROTO_MARSHALLER = "dev.strand.protobuf.ProtoMarshaller";
  static final String PROTO_SERVICE_SCHEMA = "dev.strand.protobuf.ProtoServiceSchema";
  static final String BINDABLE_SERVICE = "dev.strand.server.BindableService";
  static final String SERVICE_DEFINITION = "dev.strand.server.ServiceDefinition";
  static final String BIDI_STREAM_CALL = "dev.strand.stub.BidiStreamCall";
  static final String CALL_STREAM_OBSERVER = "dev.strand.stub.CallStreamObserver";
  static final String CLIENT_CALLS = "dev.strand.stub.ClientCalls";
  static final String CLIENT_STREAM_CALL = "dev.strand.stub.ClientStreamCall";
  static final String SERVER_CALLS = "dev.strand.stub.ServerCalls";
  static final String STREAM_OBSERVER = "dev.strand.stub.StreamObserver";
  static final String STREAM_SINK = "dev.strand.stub.StreamSink";
  static final String STREAM_SOURCE = "dev.strand.stub.StreamSource";
  static final String DURATION = "java.time.Duration";
  static final String COMPLETABLE_FUTURE = "java.util.concurrent.CompletableFuture";
  static final String COMPLETION_STAGE = "java.util.concurrent.CompletionStage";

  static final List<String> ALL =
      List.of(
          METHOD_DESCRIPTOR,
          METHOD_TYPE,
          DEADLINE,
          CALL_OPTIONS,
          CHANNEL,
          PROTO_MARSHALLER,
          PROTO_SERVICE_SCHEMA,
          BINDABLE_SERVICE,
          SERVICE_DEFINITION,
          BIDI_STREAM_CALL,
          CALL_STREAM_OBSERVER,
          CLIENT_CALLS,
          CLIENT_STREAM_CALL,
          SERVER_CALLS,
          STREAM_OBSERVER,
          STREAM_SINK,
          STREAM_SOURCE,
          DURATION,
          COMPLETABLE_FUTURE,
          COMPLETION_STAGE);

  /** java.lang classes generated code names without importing them. */
  static final List<String> JAVA_LANG_USED =
      List.of("String", "Override", "Deprecated", "SuppressWarnings");

  /** The classes nested in every generated service interface. */
  static final List<String> NESTED_CLASSES = List.of("Methods", "Async", "Client", "AsyncClient");

  static String simpleName(String qualifiedName) {
    return qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
  }
}
