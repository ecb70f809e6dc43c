package dev.strand.codegen;

import static dev.strand.codegen.RuntimeTypes.BIDI_STREAM_CALL;
import static dev.strand.codegen.RuntimeTypes.CALL_STREAM_OBSERVER;
import static dev.strand.codegen.RuntimeTypes.CLIENT_CALLS;
import static dev.strand.codegen.RuntimeTypes.CLIENT_STREAM_CALL;
import static dev.strand.codegen.RuntimeTypes.COMPLETABLE_FUTURE;
import static dev.strand.codegen.RuntimeTypes.COMPLETION_STAGE;
import static dev.strand.codegen.RuntimeTypes.SERVER_CALLS;
import static dev.strand.codegen.RuntimeTypes.STREAM_OBSERVER;
import static dev.strand.codegen.RuntimeTypes.STREAM_SINK;
import static dev.strand.codegen.RuntimeTypes.STREAM_SOURCE;

/**
 * How each call shape looks in each flavour of generated code: the declarations of service and
 * client methods, and the Strand adapter each one is wired through. The one place that knows which
 * shape maps to which {@code ServerCalls} or {@code ClientCalls} method.
 */
final class Signatures {
  private final Imports imports;

  Signatures(Imports imports) {
    this.imports = imports;
  }

  /** A method of the blocking service interface, without the semicolon. */
  String service(MethodModel m) {
    String req = imports.message(m.request());
    String resp = imports.message(m.response());
    return switch (m.shape()) {
      case UNARY -> resp + " " + m.javaName() + "(" + req + " request)";
      case SERVER_STREAMING ->
          "void "
              + m.javaName()
              + "("
              + req
              + " request, "
              + imports.generic(STREAM_SINK, m.response())
              + " responses)";
      case CLIENT_STREAMING ->
          resp
              + " "
              + m.javaName()
              + "("
              + imports.generic(STREAM_SOURCE, m.request())
              + " requests)";
      case BIDI_STREAMING ->
          "void "
              + m.javaName()
              + "("
              + imports.generic(STREAM_SOURCE, m.request())
              + " requests, "
              + imports.generic(STREAM_SINK, m.response())
              + " responses)";
    };
  }

  /** The handler that runs a blocking service method: {@code ServerCalls.unary(this::x)}. */
  String serviceHandler(MethodModel m) {
    String factory =
        switch (m.shape()) {
          case UNARY -> "unary";
          case SERVER_STREAMING -> "serverStreaming";
          case CLIENT_STREAMING -> "clientStreaming";
          case BIDI_STREAMING -> "bidiStreaming";
        };
    return imports.runtime(SERVER_CALLS) + "." + factory + "(this::" + m.javaName() + ")";
  }

  /** A method of the async service interface, without the semicolon. */
  String asyncService(MethodModel m) {
    String req = imports.message(m.request());
    return switch (m.shape()) {
      case UNARY ->
          imports.generic(COMPLETION_STAGE, m.response())
              + " "
              + m.javaName()
              + "("
              + req
              + " request)";
      case SERVER_STREAMING ->
          "void "
              + m.javaName()
              + "("
              + req
              + " request, "
              + imports.generic(CALL_STREAM_OBSERVER, m.response())
              + " responses)";
      case CLIENT_STREAMING, BIDI_STREAMING ->
          imports.generic(STREAM_OBSERVER, m.request())
              + " "
              + m.javaName()
              + "("
              + imports.generic(CALL_STREAM_OBSERVER, m.response())
              + " responses)";
    };
  }

  /** The handler that runs an async service method. */
  String asyncServiceHandler(MethodModel m) {
    String factory =
        switch (m.shape()) {
          case UNARY -> "asyncUnary";
          case SERVER_STREAMING -> "asyncServerStreaming";
          case CLIENT_STREAMING, BIDI_STREAMING -> "asyncStreaming";
        };
    return imports.runtime(SERVER_CALLS) + "." + factory + "(this::" + m.javaName() + ")";
  }

  /** A method of the blocking client, up to its opening brace. */
  String client(MethodModel m) {
    String req = imports.message(m.request());
    return "public "
        + switch (m.shape()) {
          case UNARY ->
              imports.message(m.response()) + " " + m.javaName() + "(" + req + " request)";
          case SERVER_STREAMING ->
              imports.generic(STREAM_SOURCE, m.response())
                  + " "
                  + m.javaName()
                  + "("
                  + req
                  + " request)";
          case CLIENT_STREAMING ->
              imports.generic(CLIENT_STREAM_CALL, m.request(), m.response())
                  + " "
                  + m.javaName()
                  + "()";
          case BIDI_STREAMING ->
              imports.generic(BIDI_STREAM_CALL, m.request(), m.response())
                  + " "
                  + m.javaName()
                  + "()";
        };
  }

  /** The body of a blocking client method. */
  String clientBody(MethodModel m) {
    return switch (m.shape()) {
      case UNARY -> "return " + call("blockingUnary", m, "request");
      case SERVER_STREAMING -> "return " + call("serverStream", m, "request");
      case CLIENT_STREAMING -> "return " + call("clientStream", m);
      case BIDI_STREAMING -> "return " + call("bidiStream", m);
    };
  }

  /** A method of the async client, up to its opening brace. */
  String asyncClient(MethodModel m) {
    String req = imports.message(m.request());
    return "public "
        + switch (m.shape()) {
          case UNARY ->
              imports.generic(COMPLETABLE_FUTURE, m.response())
                  + " "
                  + m.javaName()
                  + "("
                  + req
                  + " request)";
          case SERVER_STREAMING ->
              "void "
                  + m.javaName()
                  + "("
                  + req
                  + " request, "
                  + imports.generic(STREAM_OBSERVER, m.response())
                  + " responses)";
          case CLIENT_STREAMING, BIDI_STREAMING ->
              imports.generic(CALL_STREAM_OBSERVER, m.request())
                  + " "
                  + m.javaName()
                  + "("
                  + imports.generic(STREAM_OBSERVER, m.response())
                  + " responses)";
        };
  }

  /** The body of an async client method. */
  String asyncClientBody(MethodModel m) {
    return switch (m.shape()) {
      case UNARY -> "return " + call("futureUnary", m, "request");
      case SERVER_STREAMING -> call("asyncServerStream", m, "request", "responses");
      case CLIENT_STREAMING, BIDI_STREAMING -> "return " + call("asyncStream", m, "responses");
    };
  }

  /** {@code ClientCalls.x(channel, Methods.C, options, args...);} */
  private String call(String clientCall, MethodModel m, String... arguments) {
    StringBuilder out =
        new StringBuilder(imports.runtime(CLIENT_CALLS))
            .append('.')
            .append(clientCall)
            .append("(channel, Methods.")
            .append(m.constantName())
            .append(", options");
    for (String argument : arguments) {
      out.append(", ").append(argument);
    }
    return out.append(");").toString();
  }
}
