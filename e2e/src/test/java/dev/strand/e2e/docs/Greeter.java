package dev.strand.e2e.docs;

import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.testing.Utf8Marshaller;

/**
 * The service the doc snippets call: strings in, strings out. It stands in for what the code
 * generator writes for a real .proto (docs/CODEGEN.md), so the snippets show the runtime API that
 * generated code sits on: ClientCalls, ServerCalls, CallOptions, ServerContext.
 */
final class Greeter {
  static final String SERVICE = "docs.Greeter";
  static final MethodDescriptor<String, String> SAY_HELLO =
      MethodDescriptor.of(
          MethodType.UNARY,
          SERVICE + "/SayHello",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);
  static final MethodDescriptor<String, String> SAY_GOODBYE =
      MethodDescriptor.of(
          MethodType.UNARY,
          SERVICE + "/SayGoodbye",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);
  static final MethodDescriptor<String, String> SAY_AGAIN =
      MethodDescriptor.of(
          MethodType.UNARY,
          SERVICE + "/SayAgain",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);
  static final MethodDescriptor<String, String> LOTS_OF_REPLIES =
      MethodDescriptor.of(
          MethodType.SERVER_STREAMING,
          SERVICE + "/LotsOfReplies",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);

  private Greeter() {}
}
