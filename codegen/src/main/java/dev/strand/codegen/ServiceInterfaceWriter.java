package dev.strand.codegen;

import static dev.strand.codegen.RuntimeTypes.BINDABLE_SERVICE;
import static dev.strand.codegen.RuntimeTypes.CALL_OPTIONS;
import static dev.strand.codegen.RuntimeTypes.CHANNEL;
import static dev.strand.codegen.RuntimeTypes.PROTO_SERVICE_SCHEMA;
import static dev.strand.codegen.RuntimeTypes.SERVICE_DEFINITION;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Writes the top-level service interface: one plain method per rpc, {@code bindService} wiring them
 * to the server, and the nested descriptors, async flavour and clients.
 */
final class ServiceInterfaceWriter {
  private ServiceInterfaceWriter() {}

  static void write(
      SourceWriter out, ServiceModel service, Imports imports, Signatures signatures) {
    List<String> doc = new ArrayList<>(Javadoc.lines(service.comment()));
    String paragraph = doc.isEmpty() ? "" : "<p>";
    if (!doc.isEmpty()) {
      doc.add("");
    }
    doc.add(
        paragraph
            + "The {@code "
            + service.protoName()
            + "} service. Serve it by"
            + " implementing this interface,");
    doc.add("or {@link Async} for handlers that never block; call it through {@link #client}.");
    writeDoc(out, doc);
    if (service.deprecated()) {
      out.line("@Deprecated");
    }
    if (service.usesDeprecatedTypes()) {
      // The .proto deprecates a message (or file) this service uses; the service is no less
      // usable, and a warning here is one nobody can fix without changing the .proto.
      out.line("@SuppressWarnings(\"deprecation\")");
    }
    out.open(
        "public interface "
            + service.interfaceName()
            + " extends "
            + imports.runtime(BINDABLE_SERVICE)
            + " {");

    for (MethodModel method : service.methods()) {
      out.member();
      Javadoc.write(out, method.comment());
      if (method.deprecated()) {
        out.line("@Deprecated");
      }
      out.line(signatures.service(method) + ";");
    }

    out.member();
    writeBindService(out, service, imports, signatures::serviceHandler);

    out.member();
    out.line("/** A client that makes its calls over the channel. */");
    out.open("static Client client(" + imports.runtime(CHANNEL) + " channel) {");
    out.line("return new Client(channel, " + imports.runtime(CALL_OPTIONS) + ".DEFAULT);");
    out.close();

    MethodsClassWriter.write(out, service, imports);
    AsyncServiceWriter.write(out, service, imports, signatures);
    ClientWriter.write(out, service, imports, signatures);
    out.close();
  }

  /** A {@code bindService} that registers every method with the handler {@code handler} makes. */
  static void writeBindService(
      SourceWriter out,
      ServiceModel service,
      Imports imports,
      Function<MethodModel, String> handler) {
    String definition = imports.runtime(SERVICE_DEFINITION);
    out.line("@Override");
    out.open("default " + definition + " bindService() {");
    out.line("return " + definition + ".builder(Methods.SERVICE_NAME)");
    String schema =
        "new "
            + imports.runtime(PROTO_SERVICE_SCHEMA)
            + "("
            + imports.message(service.fileClass())
            + ".getDescriptor(), \""
            + service.protoSimpleName()
            + "\")";
    if (out.fits("    .schemaDescriptor(" + schema + ")")) {
      out.line("    .schemaDescriptor(" + schema + ")");
    } else {
      out.line("    .schemaDescriptor(");
      out.line("        " + schema + ")");
    }
    for (MethodModel method : service.methods()) {
      out.line("    .method(Methods." + method.constantName() + ", " + handler.apply(method) + ")");
    }
    out.line("    .build();");
    out.close();
  }

  static void writeDoc(SourceWriter out, List<String> lines) {
    out.line("/**");
    for (String line : lines) {
      out.line(line.isEmpty() ? " *" : " * " + line);
    }
    out.line(" */");
  }
}
