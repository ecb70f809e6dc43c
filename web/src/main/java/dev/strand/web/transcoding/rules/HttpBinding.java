package dev.strand.web.transcoding.rules;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import dev.strand.server.ServerMethod;
import dev.strand.web.transcoding.path.PathTemplate;
import java.util.List;

/**
 * One HTTP binding of a method (its {@code google.api.http} rule or one of the rule's {@code
 * additional_bindings}), checked against the method's messages.
 *
 * @param method what serves it, with the server's interceptors; null in a binding read only to be
 *     described (OpenAPI at build time)
 * @param proto the method's protobuf descriptor (messages, comments)
 * @param httpMethod GET, PUT, POST, DELETE, PATCH or a custom rule's kind
 * @param pathFields the field each of the template's variables sets, in order
 * @param body {@link #NO_BODY}, {@link #WHOLE_BODY} or a top-level field's name
 * @param bodyField that field, when the body is one
 * @param responseBody the response field that is the HTTP body, or null for the whole message
 */
public record HttpBinding(
    ServerMethod<?, ?> method,
    MethodDescriptor proto,
    String httpMethod,
    PathTemplate template,
    List<FieldPath> pathFields,
    String body,
    FieldDescriptor bodyField,
    FieldDescriptor responseBody) {
  public static final String NO_BODY = "";
  public static final String WHOLE_BODY = "*";

  public HttpBinding {
    pathFields = List.copyOf(pathFields);
  }

  public boolean hasBody() {
    return !body.isEmpty();
  }

  /** "GET /v1/{name=shelves/*}", as errors and logs name a binding. */
  public String describe() {
    return httpMethod + " " + template;
  }

  /** The full gRPC name, {@code package.Service/Method}. */
  public String fullMethodName() {
    return proto.getService().getFullName() + "/" + proto.getName();
  }

  /** Whether the method streams its responses (NDJSON over HTTP). */
  public boolean serverStreaming() {
    return proto.isServerStreaming();
  }
}
