package dev.strand.web.transcoding.openapi;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.strand.web.transcoding.path.PathTemplate;
import dev.strand.web.transcoding.rules.FieldPath;
import dev.strand.web.transcoding.rules.HttpBinding;
import dev.strand.web.transcoding.rules.HttpRoutes;
import dev.strand.web.transcoding.rules.HttpRules;
import dev.strand.web.transcoding.rules.WellKnownValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAPI 3.1 document of the REST surface {@code google.api.http} rules give services: a path
 * per template (a variable over several segments is one parameter, its segments in its pattern),
 * path and query parameters from the request's fields by http.proto's rules, the request body and
 * the response as JSON Schema of their ProtoJSON, server streams as {@code application/x-ndjson},
 * and google.rpc.Status as every operation's error. Descriptions come from the .proto comments
 * where the descriptors have them ({@link Comments}).
 *
 * <p>Bindings whose HTTP method OpenAPI cannot name (a custom rule's own kind) are left out.
 */
public final class OpenApiDocument {
  private static final Set<String> OPENAPI_METHODS =
      Set.of("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE");
  private static final String STATUS = "google.rpc.Status";
  private static final int QUERY_DEPTH = 4;
  private static final Pattern PARAMETER = Pattern.compile("\\{([^}]*)}");

  private final Comments comments = new Comments();
  private final JsonSchemas schemas = new JsonSchemas(comments);

  private OpenApiDocument() {}

  /** The document of these services' rules, as JSON text. */
  public static String of(List<ServiceDescriptor> services, String title, String version) {
    return of(HttpRules.describe(services), title, version);
  }

  /** The document of a server's routes, as JSON text. */
  public static String of(HttpRoutes routes, String title, String version) {
    return new GsonBuilder()
        .setPrettyPrinting()
        .disableHtmlEscaping()
        .create()
        .toJson(new OpenApiDocument().build(routes, title, version));
  }

  private JsonObject build(HttpRoutes routes, String title, String version) {
    JsonObject doc = new JsonObject();
    doc.addProperty("openapi", "3.1.0");
    JsonObject info = new JsonObject();
    info.addProperty("title", title);
    info.addProperty("version", version);
    doc.add("info", info);
    JsonArray tags = new JsonArray();
    Set<ServiceDescriptor> tagged = new HashSet<>();
    Map<String, JsonObject> paths = new LinkedHashMap<>();
    Map<String, Integer> operationIds = new HashMap<>();
    Map<String, String> pathsByShape = new HashMap<>();
    for (HttpBinding binding : routes.bindings()) {
      if (!OPENAPI_METHODS.contains(binding.httpMethod())) {
        continue;
      }
      ServiceDescriptor service = binding.proto().getService();
      if (tagged.add(service)) {
        JsonObject tag = new JsonObject();
        tag.addProperty("name", service.getName());
        JsonSchemas.describe(tag, comments.of(service));
        tags.add(tag);
      }
      // OpenAPI holds paths that differ only in their parameters' names to be the same path
      // (GET /v1/{name} and PATCH /v1/{book.name}): the later ones take the first one's names,
      // which changes nothing on the wire, where path parameters are by position.
      String path = binding.template().openApiPath();
      String shape = PARAMETER.matcher(path).replaceAll("{}");
      String written = pathsByShape.computeIfAbsent(shape, k -> path);
      JsonObject item = paths.computeIfAbsent(written, p -> new JsonObject());
      String method = binding.httpMethod().toLowerCase(Locale.ROOT);
      if (item.has(method)) {
        continue; // Two templates that OpenAPI writes alike: the first is documented.
      }
      String id = service.getName() + "_" + binding.proto().getName();
      int seen = operationIds.merge(id, 1, Integer::sum);
      item.add(method, operation(binding, seen == 1 ? id : id + "_" + seen, names(written)));
    }
    JsonObject pathsJson = new JsonObject();
    paths.forEach(pathsJson::add);
    doc.add("tags", tags);
    doc.add("paths", pathsJson);
    schemas.message(com.google.rpc.Status.getDescriptor());
    JsonObject components = new JsonObject();
    components.add("schemas", schemas.components());
    doc.add("components", components);
    return doc;
  }

  /** The parameter names in an OpenAPI path, in order. */
  private static List<String> names(String path) {
    List<String> names = new ArrayList<>();
    Matcher m = PARAMETER.matcher(path);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private JsonObject operation(HttpBinding binding, String operationId, List<String> pathNames) {
    JsonObject op = new JsonObject();
    JsonArray tags = new JsonArray();
    tags.add(binding.proto().getService().getName());
    op.add("tags", tags);
    op.addProperty("operationId", operationId);
    String comment = comments.of(binding.proto());
    if (comment != null) {
      op.addProperty("summary", comment.lines().findFirst().orElse(comment));
      op.addProperty("description", comment);
    }
    JsonArray parameters = new JsonArray();
    PathTemplate template = binding.template();
    for (int i = 0; i < template.variables().size(); i++) {
      parameters.add(pathParameter(template, i, binding.pathFields().get(i), pathNames.get(i)));
    }
    if (!binding.body().equals(HttpBinding.WHOLE_BODY)) {
      Descriptor request = binding.proto().getInputType();
      queryParameters(parameters, binding, request, "", new ArrayList<>());
    }
    if (!parameters.isEmpty()) {
      op.add("parameters", parameters);
    }
    if (binding.hasBody()) {
      op.add("requestBody", requestBody(binding));
    }
    JsonObject responses = new JsonObject();
    responses.add("200", success(binding));
    JsonObject error = new JsonObject();
    error.addProperty("description", "The call's status, as google.rpc.Status");
    error.add("content", content("application/json", JsonSchemas.ref(STATUS)));
    responses.add("default", error);
    op.add("responses", responses);
    return op;
  }

  private JsonObject pathParameter(PathTemplate template, int index, FieldPath field, String name) {
    PathTemplate.Variable variable = template.variables().get(index);
    JsonObject parameter = new JsonObject();
    parameter.addProperty("name", name);
    parameter.addProperty("in", "path");
    parameter.addProperty("required", true);
    JsonObject schema = schemas.single(field.last());
    if (variable.multiSegment()) {
      // The segments the variable matches, e.g. shelves/*/books/*: a value with slashes in it.
      int end =
          variable.end() == PathTemplate.Variable.TO_END
              ? template.segments().size()
              : variable.end();
      List<String> segments = template.segments().subList(variable.start(), end);
      schema = JsonSchemas.type("string", null);
      schema.addProperty("pattern", "^" + pattern(segments) + "$");
      JsonSchemas.describe(
          parameter, "Matches " + String.join("/", segments) + " (slashes not encoded).");
    }
    String comment = comments.of(field.last());
    if (!name.equals(variable.dottedPath())) {
      comment = "Sets " + variable.dottedPath() + (comment == null ? "." : ": " + comment);
    }
    if (comment != null && !variable.multiSegment()) {
      parameter.addProperty("description", comment);
    }
    parameter.add("schema", schema);
    return parameter;
  }

  private static String pattern(List<String> segments) {
    StringBuilder out = new StringBuilder();
    for (String segment : segments) {
      if (out.length() > 0) {
        out.append('/');
      }
      switch (segment) {
        case PathTemplate.SINGLE -> out.append("[^/]+");
        case PathTemplate.MULTI -> out.append(".*");
        default -> out.append(escape(segment));
      }
    }
    return out.toString();
  }

  /** A literal in an ECMA-262 regular expression, as JSON Schema's patterns are. */
  private static String escape(String literal) {
    StringBuilder out = new StringBuilder();
    for (char c : literal.toCharArray()) {
      if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /** Leaf fields not bound by the path or body, dotted, as http.proto maps them to the query. */
  private void queryParameters(
      JsonArray out, HttpBinding binding, Descriptor type, String prefix, List<Descriptor> seen) {
    if (seen.contains(type) || seen.size() >= QUERY_DEPTH) {
      return; // Recursive messages: their nested fields are left to the body schema.
    }
    seen.add(type);
    for (FieldDescriptor field : type.getFields()) {
      String name = prefix + field.getName();
      if (prefix.isEmpty() && field.equals(binding.bodyField())) {
        continue;
      }
      if (boundByPath(binding, name) || field.isMapField()) {
        continue;
      }
      boolean message =
          field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
              && !WellKnownValues.isScalarLike(field.getMessageType());
      if (message) {
        if (!field.isRepeated()) {
          queryParameters(out, binding, field.getMessageType(), name + ".", seen);
        }
        continue;
      }
      JsonObject parameter = new JsonObject();
      parameter.addProperty("name", name);
      parameter.addProperty("in", "query");
      JsonSchemas.describe(parameter, comments.of(field));
      parameter.add("schema", schemas.field(field));
      if (field.isRepeated()) {
        parameter.addProperty("explode", true); // ?tag=a&tag=b
      }
      out.add(parameter);
    }
    seen.remove(seen.size() - 1);
  }

  private static boolean boundByPath(HttpBinding binding, String dotted) {
    for (FieldPath field : binding.pathFields()) {
      if (field.dotted().equals(dotted)) {
        return true;
      }
    }
    return false;
  }

  private JsonObject requestBody(HttpBinding binding) {
    JsonObject body = new JsonObject();
    body.addProperty("required", binding.bodyField() == null);
    FieldDescriptor field = binding.bodyField();
    Descriptor type = field == null ? binding.proto().getInputType() : null;
    boolean httpBody =
        (type != null && isHttpBody(type))
            || (field != null
                && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                && !field.isRepeated()
                && isHttpBody(field.getMessageType()));
    if (httpBody) {
      body.add("content", content("*/*", binary()));
      return body;
    }
    JsonObject schema = field == null ? schemas.message(type) : schemas.field(field);
    body.add("content", content("application/json", schema));
    return body;
  }

  private JsonObject success(HttpBinding binding) {
    JsonObject response = new JsonObject();
    Descriptor type = binding.proto().getOutputType();
    FieldDescriptor only = binding.responseBody();
    String comment = comments.of(type);
    response.addProperty("description", comment != null ? comment : "A successful response");
    if (only == null && isHttpBody(type)) {
      response.add("content", content("*/*", binary()));
      return response;
    }
    JsonObject schema = only == null ? schemas.message(type) : schemas.field(only);
    if (binding.serverStreaming()) {
      // One line per message: {"result": ...}; a failure after the first: {"error": ...}.
      JsonObject line = JsonSchemas.type("object", null);
      JsonObject properties = new JsonObject();
      properties.add("result", schema);
      properties.add("error", JsonSchemas.ref(STATUS));
      line.add("properties", properties);
      response.add("content", content("application/x-ndjson", line));
      return response;
    }
    response.add("content", content("application/json", schema));
    return response;
  }

  private static boolean isHttpBody(Descriptor type) {
    return type.getFullName().equals("google.api.HttpBody");
  }

  private static JsonObject binary() {
    JsonObject schema = JsonSchemas.type("string", null);
    schema.addProperty("contentMediaType", "application/octet-stream");
    return schema;
  }

  private static JsonObject content(String mediaType, JsonObject schema) {
    JsonObject media = new JsonObject();
    media.add("schema", schema);
    JsonObject content = new JsonObject();
    content.add(mediaType, media);
    return content;
  }
}
