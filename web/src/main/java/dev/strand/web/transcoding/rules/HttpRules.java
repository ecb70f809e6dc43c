package dev.strand.web.transcoding.rules;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.strand.protobuf.ProtoServiceSchema;
import dev.strand.server.ServerMethod;
import dev.strand.server.ServiceDefinition;
import dev.strand.web.transcoding.path.PathMatcher;
import dev.strand.web.transcoding.path.PathTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the {@code google.api.http} rules of a server's services from the descriptors generated
 * code attaches ({@link ProtoServiceSchema}), checks each against its method's messages, and binds
 * them in one {@link PathMatcher}. A method without a rule is not exposed; a rule that is wrong, or
 * two that claim the same method and path, fail the server's start with a message that names the
 * methods.
 */
public final class HttpRules {
  private HttpRules() {}

  /** The routes of these services; {@code methods} are the server's intercepted ones by name. */
  public static HttpRoutes read(
      List<ServiceDefinition> services, Map<String, ServerMethod<?, ?>> methods) {
    List<ServiceDescriptor> descriptors = new ArrayList<>();
    for (ServiceDefinition service : services) {
      if (service.schemaDescriptor() instanceof ProtoServiceSchema schema
          && schema.service() != null) {
        descriptors.add(schema.service());
      }
    }
    return read(descriptors, methods::get);
  }

  /**
   * The routes these services' rules describe, with no method to serve them: for documents written
   * at build time from descriptor sets.
   */
  public static HttpRoutes describe(List<ServiceDescriptor> services) {
    return read(services, null);
  }

  /** {@code served}: the method serving a full name, or null to bind every rule unserved. */
  private static HttpRoutes read(
      List<ServiceDescriptor> services, Function<String, ServerMethod<?, ?>> served) {
    PathMatcher<HttpBinding> matcher = new PathMatcher<>();
    List<HttpBinding> bindings = new ArrayList<>();
    for (ServiceDescriptor descriptor : services) {
      for (MethodDescriptor proto : descriptor.getMethods()) {
        HttpRule rule = ruleOf(proto);
        ServerMethod<?, ?> method =
            served == null ? null : served.apply(descriptor.getFullName() + "/" + proto.getName());
        if (rule == null || (served != null && method == null)) {
          continue;
        }
        List<HttpRule> all = new ArrayList<>();
        all.add(rule);
        for (HttpRule additional : rule.getAdditionalBindingsList()) {
          if (additional.getAdditionalBindingsCount() > 0) {
            throw invalid(proto, "an additional binding must not have additional bindings");
          }
          all.add(additional);
        }
        for (HttpRule one : all) {
          HttpBinding binding = bind(method, proto, one);
          try {
            matcher.add(binding.httpMethod(), binding.template(), binding);
          } catch (PathMatcher.ConflictException e) {
            HttpBinding existing = (HttpBinding) e.existing();
            throw new IllegalStateException(
                "google.api.http rules conflict: "
                    + binding.describe()
                    + " of "
                    + binding.fullMethodName()
                    + " and "
                    + existing.describe()
                    + " of "
                    + existing.fullMethodName()
                    + " match the same requests",
                e);
          }
          bindings.add(binding);
        }
      }
    }
    return new HttpRoutes(matcher, bindings);
  }

  /**
   * The method's rule, or null. Generated code registers the extension when it builds its
   * descriptors; a descriptor built without it keeps the option as an unknown field.
   */
  static HttpRule ruleOf(MethodDescriptor proto) {
    if (proto.getOptions().hasExtension(AnnotationsProto.http)) {
      return proto.getOptions().getExtension(AnnotationsProto.http);
    }
    UnknownFieldSet.Field unknown =
        proto.getOptions().getUnknownFields().getField(AnnotationsProto.HTTP_FIELD_NUMBER);
    if (unknown == null || unknown.getLengthDelimitedList().isEmpty()) {
      return null;
    }
    try {
      return HttpRule.parseFrom(unknown.getLengthDelimitedList().get(0));
    } catch (InvalidProtocolBufferException e) {
      throw invalid(proto, "its google.api.http option does not parse: " + e.getMessage());
    }
  }

  private static HttpBinding bind(
      ServerMethod<?, ?> method, MethodDescriptor proto, HttpRule rule) {
    String httpMethod;
    String path;
    switch (rule.getPatternCase()) {
      case GET -> {
        httpMethod = "GET";
        path = rule.getGet();
      }
      case PUT -> {
        httpMethod = "PUT";
        path = rule.getPut();
      }
      case POST -> {
        httpMethod = "POST";
        path = rule.getPost();
      }
      case DELETE -> {
        httpMethod = "DELETE";
        path = rule.getDelete();
      }
      case PATCH -> {
        httpMethod = "PATCH";
        path = rule.getPatch();
      }
      case CUSTOM -> {
        httpMethod = rule.getCustom().getKind();
        path = rule.getCustom().getPath();
        if (httpMethod.isEmpty()) {
          throw invalid(proto, "a custom pattern needs a kind (the HTTP method)");
        }
      }
      default -> throw invalid(proto, "its google.api.http rule has no pattern (get, post, ...)");
    }
    PathTemplate template;
    try {
      template = PathTemplate.parse(path);
    } catch (IllegalArgumentException e) {
      throw invalid(proto, e.getMessage());
    }
    Descriptor request = proto.getInputType();
    List<FieldPath> pathFields = new ArrayList<>();
    for (PathTemplate.Variable variable : template.variables()) {
      FieldPath field = resolve(proto, request, variable.fieldPath(), "path variable");
      FieldDescriptor last = field.last();
      if (last.isRepeated() || last.isMapField()) {
        throw invalid(proto, "path variable '" + field.dotted() + "' is a repeated or map field");
      }
      if (last.getJavaType() == FieldDescriptor.JavaType.MESSAGE
          && !WellKnownValues.isScalarLike(last.getMessageType())) {
        throw invalid(proto, "path variable '" + field.dotted() + "' is a message");
      }
      pathFields.add(field);
    }
    String body = rule.getBody();
    FieldDescriptor bodyField = null;
    if (!body.isEmpty() && !body.equals(HttpBinding.WHOLE_BODY)) {
      bodyField = request.findFieldByName(body);
      if (bodyField == null) {
        throw invalid(
            proto, "body '" + body + "' is not a top-level field of " + request.getFullName());
      }
      // A path variable inside the body field (PATCH /v1/{book.name=...}, body: "book") is
      // Google's own style: the path's value wins.
    }
    FieldDescriptor responseBody = null;
    if (!rule.getResponseBody().isEmpty()) {
      responseBody = proto.getOutputType().findFieldByName(rule.getResponseBody());
      if (responseBody == null) {
        throw invalid(
            proto,
            "response_body '"
                + rule.getResponseBody()
                + "' is not a top-level field of "
                + proto.getOutputType().getFullName());
      }
    }
    return new HttpBinding(
        method, proto, httpMethod, template, pathFields, body, bodyField, responseBody);
  }

  private static FieldPath resolve(
      MethodDescriptor proto, Descriptor request, List<String> names, String what) {
    try {
      return FieldPath.resolve(request, names);
    } catch (IllegalArgumentException e) {
      throw invalid(proto, what + " " + e.getMessage());
    }
  }

  private static IllegalStateException invalid(MethodDescriptor proto, String why) {
    return new IllegalStateException(
        "bad google.api.http rule on "
            + proto.getService().getFullName()
            + "/"
            + proto.getName()
            + ": "
            + why);
  }
}
