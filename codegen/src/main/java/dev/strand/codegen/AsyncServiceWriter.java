package dev.strand.codegen;

import static dev.strand.codegen.RuntimeTypes.BINDABLE_SERVICE;

/**
 * Writes the {@code Async} interface: the same service for handlers that answer through futures and
 * observers instead of blocking, and so can run on the event loop.
 */
final class AsyncServiceWriter {
  private AsyncServiceWriter() {}

  static void write(
      SourceWriter out, ServiceModel service, Imports imports, Signatures signatures) {
    out.member();
    out.line("/**");
    out.line(" * The service for handlers that never block: they run on the event loop, and");
    out.line(" * answer through futures and observers.");
    out.line(" */");
    out.open("interface Async extends " + imports.runtime(BINDABLE_SERVICE) + " {");
    for (MethodModel method : service.methods()) {
      out.member();
      Javadoc.write(out, method.comment());
      if (method.deprecated()) {
        out.line("@Deprecated");
      }
      out.line(signatures.asyncService(method) + ";");
    }
    out.member();
    ServiceInterfaceWriter.writeBindService(out, service, imports, signatures::asyncServiceHandler);
    out.close();
  }
}
