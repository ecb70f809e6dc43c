package dev.strand.web.transcoding.message;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.strand.web.transcoding.rules.FieldPath;
import dev.strand.web.transcoding.rules.HttpBinding;
import dev.strand.web.transcoding.rules.WellKnownValues;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a method's request message from an HTTP request, by http.proto's rules: the body (all of
 * it for {@code body: "*"}, one field's value otherwise, raw bytes for {@code
 * google.api.HttpBody}), then the query string's parameters (dotted field paths, repeated by
 * repetition), then the path's variables, which win. Every value goes through ProtoJSON, so a query
 * value is read the way the same value in a JSON body would be: enums by name or number, Timestamp
 * as RFC 3339, Duration as {@code "1.5s"}, FieldMask as comma-separated paths, wrappers as their
 * value, Value and Struct as JSON. Errors name the parameter or field.
 */
public final class RequestMessages {
  private static final String HTTP_BODY = "google.api.HttpBody";

  private final JsonFormat.Parser parser;

  public RequestMessages(JsonFormat.TypeRegistry types) {
    this.parser = JsonFormat.parser().usingTypeRegistry(types);
  }

  /**
   * The request, or {@link BadRequestException} for what does not fit it. {@code rawQuery} is the
   * URL's query without '?', or null; {@code contentType} the request's, or null.
   */
  public Message build(
      HttpBinding binding,
      List<String> pathValues,
      String rawQuery,
      byte[] body,
      String contentType)
      throws BadRequestException {
    Descriptor type = binding.proto().getInputType();
    DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
    if (binding.hasBody()) {
      mergeBody(binding, message, body, contentType);
    }
    if (rawQuery != null && !rawQuery.isEmpty()) {
      mergeQuery(binding, message, rawQuery);
    }
    for (int i = 0; i < pathValues.size(); i++) {
      FieldPath field = binding.pathFields().get(i);
      merge(message, field, List.of(pathValues.get(i)), "path variable '" + field.dotted() + "'");
    }
    return message.build();
  }

  private void mergeBody(
      HttpBinding binding, DynamicMessage.Builder message, byte[] body, String contentType)
      throws BadRequestException {
    FieldDescriptor field = binding.bodyField();
    Descriptor bodyType =
        field == null
            ? message.getDescriptorForType()
            : field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                ? field.getMessageType()
                : null;
    boolean raw =
        bodyType != null
            && bodyType.getFullName().equals(HTTP_BODY)
            && (field == null || !field.isRepeated());
    if (raw) {
      Message httpBody = httpBody(bodyType, body, contentType);
      if (field == null) {
        message.mergeFrom(httpBody);
      } else {
        message.setField(field, httpBody);
      }
      return;
    }
    if (!isJson(contentType)) {
      throw new BadRequestException(
          415, "the body must be application/json, got content-type '" + contentType + "'");
    }
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return;
    }
    if (mergedInOneParse(field, message, text)) {
      return;
    }
    JsonElement json = StrictJson.parse(text);
    if (field == null) {
      if (!json.isJsonObject()) {
        throw new BadRequestException("the body must be a JSON object");
      }
      // Field by field, so that an error can name the one that is wrong.
      for (Map.Entry<String, JsonElement> member : json.getAsJsonObject().entrySet()) {
        JsonObject one = new JsonObject();
        one.add(member.getKey(), member.getValue());
        mergeJson(message, one, "body field '" + member.getKey() + "'");
      }
    } else {
      JsonObject wrapped = new JsonObject();
      wrapped.add(field.getName(), json);
      mergeJson(message, wrapped, "body (field '" + field.getName() + "')");
    }
  }

  /**
   * The usual case, at the cost of one strict syntax check and one ProtoJSON parse: the whole body
   * merged at once. False, with {@code message} left empty, if ProtoJSON refuses it: the caller
   * then merges piece by piece (three parses in all), so that the error names the field, and the
   * outcome is what that path gives. Both give the same message for a body ProtoJSON accepts whole:
   * its members are distinct fields, each set once either way.
   */
  private boolean mergedInOneParse(
      FieldDescriptor field, DynamicMessage.Builder message, String text)
      throws BadRequestException {
    StrictJson.check(text);
    if (field == null && !text.stripLeading().startsWith("{")) {
      return false; // not an object: the piece-by-piece path says so
    }
    // A proto field name is letters, digits and '_': quoted as it is, nothing to escape.
    String whole = field == null ? text : "{\"" + field.getName() + "\":" + text + "}";
    try {
      parser.merge(whole, message);
      return true;
    } catch (InvalidProtocolBufferException | JsonParseException | IllegalArgumentException e) {
      message.clear();
      return false;
    }
  }

  private static Message httpBody(Descriptor type, byte[] body, String contentType) {
    DynamicMessage.Builder raw = DynamicMessage.newBuilder(type);
    if (contentType != null) {
      raw.setField(type.findFieldByName("content_type"), contentType);
    }
    raw.setField(type.findFieldByName("data"), ByteString.copyFrom(body));
    return raw.build();
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return true;
    }
    String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return base.isEmpty() || base.equals("application/json") || base.endsWith("+json");
  }

  private void mergeQuery(HttpBinding binding, DynamicMessage.Builder message, String rawQuery)
      throws BadRequestException {
    Map<String, List<String>> params = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    Descriptor type = message.getDescriptorForType();
    for (Map.Entry<String, List<String>> param : params.entrySet()) {
      String name = param.getKey();
      String what = "query parameter '" + name + "'";
      if (binding.body().equals(HttpBinding.WHOLE_BODY)) {
        throw new BadRequestException(
            what + ": this method takes every field in its body (body \"*\"), none in the query");
      }
      FieldPath field;
      try {
        field = FieldPath.resolve(type, Arrays.asList(name.split("\\.", -1)));
      } catch (IllegalArgumentException e) {
        throw new BadRequestException("unknown " + what + ": " + e.getMessage());
      }
      if (binding.bodyField() != null && field.fields().get(0).equals(binding.bodyField())) {
        throw new BadRequestException(what + ": field '" + field.dotted() + "' is in the body");
      }
      for (FieldPath bound : binding.pathFields()) {
        if (bound.overlaps(field)) {
          throw new BadRequestException(
              what + ": field '" + bound.dotted() + "' is bound by the path");
        }
      }
      merge(message, field, param.getValue(), what);
    }
  }

  private static String decode(String raw) throws BadRequestException {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("malformed query string near '" + raw + "': " + e.getMessage());
    }
  }

  /** Sets one field path from its text values, through ProtoJSON. */
  private void merge(
      DynamicMessage.Builder message, FieldPath field, List<String> values, String what)
      throws BadRequestException {
    FieldDescriptor last = field.last();
    if (last.isMapField()) {
      throw new BadRequestException(what + ": map fields cannot be set from the URL");
    }
    boolean isMessage =
        last.getJavaType() == FieldDescriptor.JavaType.MESSAGE
            && !WellKnownValues.isScalarLike(last.getMessageType());
    if (isMessage) {
      throw new BadRequestException(
          what + ": field '" + field.dotted() + "' is a message; set its fields (name.field=...)");
    }
    JsonElement value;
    if (last.isRepeated()) {
      JsonArray array = new JsonArray();
      for (String v : values) {
        array.add(element(last, v, what));
      }
      value = array;
    } else {
      if (values.size() > 1) {
        throw new BadRequestException(
            what
                + ": field '"
                + field.dotted()
                + "' is not repeated but was given "
                + values.size()
                + " times");
      }
      value = element(last, values.get(0), what);
    }
    JsonObject json = new JsonObject();
    JsonObject at = json;
    List<FieldDescriptor> path = field.fields();
    for (int i = 0; i < path.size() - 1; i++) {
      JsonObject next = new JsonObject();
      at.add(path.get(i).getName(), next);
      at = next;
    }
    at.add(last.getName(), value);
    mergeJson(message, json, what);
  }

  /** The JSON a text value stands for: a JSON string, but JSON itself for Value and Struct. */
  private static JsonElement element(FieldDescriptor field, String text, String what)
      throws BadRequestException {
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && WellKnownValues.isJsonValued(field.getMessageType())) {
      boolean isValue = field.getMessageType().getFullName().equals("google.protobuf.Value");
      try {
        return StrictJson.parse(text);
      } catch (BadRequestException e) {
        if (isValue) {
          return new JsonPrimitive(text); // A bare word is a string Value.
        }
        throw new BadRequestException(what + ": " + e.getMessage());
      }
    }
    return new JsonPrimitive(text);
  }

  /**
   * Merges one piece (a body field, a parameter) on its own, so an error names it: parsed into a
   * fresh message (ProtoJSON refuses a field set twice within one parse), then merged as protobuf
   * merges, a later piece's singular values over an earlier one's.
   */
  private void mergeJson(DynamicMessage.Builder message, JsonObject json, String what)
      throws BadRequestException {
    try {
      DynamicMessage.Builder piece = DynamicMessage.newBuilder(message.getDescriptorForType());
      parser.merge(json.toString(), piece);
      message.mergeFrom(piece.build());
    } catch (InvalidProtocolBufferException | JsonParseException | IllegalArgumentException e) {
      throw new BadRequestException("bad " + what + ": " + e.getMessage());
    }
  }
}
