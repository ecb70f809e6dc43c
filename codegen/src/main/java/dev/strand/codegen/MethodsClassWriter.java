package dev.strand.codegen;

import static dev.strand.codegen.RuntimeTypes.METHOD_DESCRIPTOR;
import static dev.strand.codegen.RuntimeTypes.METHOD_TYPE;
import static dev.strand.codegen.RuntimeTypes.PROTO_MARSHALLER;

/**
 * Writes the {@code Methods} class: the service name and a descriptor per rpc, for interceptors,
 * hand-written calls and the generated code itself.
 */
final class MethodsClassWriter {
  private MethodsClassWriter() {}

  static void write(SourceWriter out, ServiceModel service, Imports imports) {
    out.member();
    out.line("/** The service's name and its methods' descriptors. */");
    out.open("final class Methods {");
    out.line("public static final String SERVICE_NAME = \"" + service.protoName() + "\";");
    for (MethodModel method : service.methods()) {
      out.member();
      out.line("/** {@code " + method.protoName() + "}, " + describe(method.shape()) + ". */");
      if (method.deprecated()) {
        out.line("@Deprecated");
      }
      String declaration =
          "public static final "
              + imports.generic(METHOD_DESCRIPTOR, method.request(), method.response())
              + " "
              + method.constantName()
              + " =";
      String factory = imports.runtime(METHOD_DESCRIPTOR) + ".of(";
      // Arguments one per line; long class names push the factory onto a line of its own.
      String indent = "    ";
      if (out.fits(declaration + " " + factory)) {
        out.line(declaration + " " + factory);
      } else {
        out.line(declaration);
        out.line(indent + factory);
        indent += "    ";
      }
      out.line(indent + imports.runtime(METHOD_TYPE) + "." + method.shape().name() + ",");
      out.line(indent + "\"" + service.protoName() + "/" + method.protoName() + "\",");
      out.line(indent + marshaller(method.request(), imports) + ",");
      out.line(indent + marshaller(method.response(), imports) + ");");
    }
    out.member();
    out.line("private Methods() {}");
    out.close();
  }

  private static String marshaller(JavaType message, Imports imports) {
    return imports.runtime(PROTO_MARSHALLER)
        + ".of("
        + imports.message(message)
        + ".getDefaultInstance())";
  }

  private static String describe(CallShape shape) {
    return switch (shape) {
      case UNARY -> "unary";
      case SERVER_STREAMING -> "server streaming";
      case CLIENT_STREAMING -> "client streaming";
      case BIDI_STREAMING -> "bidirectional streaming";
    };
  }
}
