package dev.strand.codegen;

import static dev.strand.codegen.RuntimeTypes.CALL_OPTIONS;
import static dev.strand.codegen.RuntimeTypes.CHANNEL;
import static dev.strand.codegen.RuntimeTypes.DEADLINE;
import static dev.strand.codegen.RuntimeTypes.DURATION;

import java.util.function.Function;

/**
 * Writes the two clients: {@code Client}, whose calls block and whose streams are sinks and
 * sources, and {@code AsyncClient}, whose calls return futures or take observers. Both are
 * immutable pairs of a channel and call options.
 */
final class ClientWriter {
  private ClientWriter() {}

  static void write(
      SourceWriter out, ServiceModel service, Imports imports, Signatures signatures) {
    String options = imports.runtime(CALL_OPTIONS);

    out.member();
    out.line("/**");
    out.line(" * Calls the service: unary calls block until the response arrives, and streams are");
    out.line(" * read and written with blocking sources and sinks. Immutable; the {@code with}");
    out.line(" * methods return a copy.");
    out.line(" */");
    out.open("final class Client {");
    fieldsAndConstructor(out, "Client", imports);
    out.member();
    out.line("/** A copy of this client whose calls use these options. */");
    out.open("public Client withOptions(" + options + " options) {");
    out.line("return new Client(channel, options);");
    out.close();
    out.member();
    out.line("/** A copy of this client whose calls must end by the deadline. */");
    out.open("public Client withDeadline(" + imports.runtime(DEADLINE) + " deadline) {");
    out.line("return new Client(channel, options.withDeadline(deadline));");
    out.close();
    out.member();
    out.line("/** A copy of this client whose calls must end within the timeout from now. */");
    out.open("public Client withTimeout(" + imports.runtime(DURATION) + " timeout) {");
    out.line("return new Client(channel, options.withTimeout(timeout));");
    out.close();
    out.member();
    out.line("/** The same calls returning futures or taking observers, with these options. */");
    out.open("public AsyncClient async() {");
    out.line("return new AsyncClient(channel, options);");
    out.close();
    callMethods(out, service, signatures::client, signatures::clientBody);
    out.close();

    out.member();
    out.line("/**");
    out.line(" * Calls the service without blocking: unary calls return futures, and streams are");
    out.line(" * observers. Observers are called on the event loop and must not block.");
    out.line(" */");
    out.open("final class AsyncClient {");
    fieldsAndConstructor(out, "AsyncClient", imports);
    callMethods(out, service, signatures::asyncClient, signatures::asyncClientBody);
    out.close();
  }

  private static void fieldsAndConstructor(SourceWriter out, String className, Imports imports) {
    String channel = imports.runtime(CHANNEL);
    String options = imports.runtime(CALL_OPTIONS);
    out.line("private final " + channel + " channel;");
    out.line("private final " + options + " options;");
    out.member();
    out.open("private " + className + "(" + channel + " channel, " + options + " options) {");
    out.line("this.channel = channel;");
    out.line("this.options = options;");
    out.close();
  }

  private static void callMethods(
      SourceWriter out,
      ServiceModel service,
      Function<MethodModel, String> declaration,
      Function<MethodModel, String> body) {
    for (MethodModel method : service.methods()) {
      out.member();
      Javadoc.write(out, method.comment());
      if (method.deprecated()) {
        out.line("@Deprecated");
      }
      out.open(declaration.apply(method) + " {");
      out.line(body.apply(method));
      out.close();
    }
  }
}
