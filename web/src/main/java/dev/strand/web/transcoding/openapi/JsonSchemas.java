package dev.strand.web.transcoding.openapi;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON Schema (2020-12, as OpenAPI 3.1 uses it) for messages in their ProtoJSON form: int64 kinds
 * are strings, enums their names, the well-known types their JSON forms (Timestamp an RFC 3339
 * string, Duration {@code "1.5s"}, FieldMask a comma-separated string, wrappers their value).
 * Messages become named components, so recursive ones are references.
 */
final class JsonSchemas {
  static final String REF_PREFIX = "#/components/schemas/";

  private final Comments comments;
  private final Map<String, JsonObject> components = new LinkedHashMap<>();

  JsonSchemas(Comments comments) {
    this.comments = comments;
  }

  /** Every component made so far, by name. */
  JsonObject components() {
    JsonObject all = new JsonObject();
    components.forEach(all::add);
    return all;
  }

  /** A reference to a message's schema (or its inline form, for well-known types). */
  JsonObject message(Descriptor type) {
    JsonObject wellKnown = wellKnown(type);
    if (wellKnown != null) {
      return wellKnown;
    }
    String name = type.getFullName();
    if (!components.containsKey(name)) {
      JsonObject schema = new JsonObject();
      components.put(name, schema); // before the fields: a message may contain itself
      schema.addProperty("type", "object");
      describe(schema, comments.of(type));
      JsonObject properties = new JsonObject();
      for (FieldDescriptor field : type.getFields()) {
        JsonObject property = field(field);
        describe(property, comments.of(field));
        properties.add(field.getJsonName(), property);
      }
      schema.add("properties", properties);
    }
    return ref(name);
  }

  static JsonObject ref(String component) {
    JsonObject ref = new JsonObject();
    ref.addProperty("$ref", REF_PREFIX + component);
    return ref;
  }

  /** A field's schema: arrays for repeated, objects for maps. */
  JsonObject field(FieldDescriptor field) {
    if (field.isMapField()) {
      JsonObject map = new JsonObject();
      map.addProperty("type", "object");
      FieldDescriptor value = field.getMessageType().findFieldByName("value");
      map.add("additionalProperties", single(value));
      return map;
    }
    if (field.isRepeated()) {
      JsonObject array = new JsonObject();
      array.addProperty("type", "array");
      array.add("items", single(field));
      return array;
    }
    return single(field);
  }

  /** The schema of one value of a field, repeated or not. */
  JsonObject single(FieldDescriptor field) {
    return switch (field.getType()) {
      case STRING -> type("string", null);
      case BYTES -> bytes();
      case BOOL -> type("boolean", null);
      case DOUBLE -> type("number", "double");
      case FLOAT -> type("number", "float");
      case INT32, SINT32, SFIXED32 -> type("integer", "int32");
      case UINT32, FIXED32 -> type("integer", "int64");
      // ProtoJSON writes 64-bit integers as strings: a double cannot hold them all.
      case INT64, SINT64, SFIXED64 -> type("string", "int64");
      case UINT64, FIXED64 -> type("string", "uint64");
      case ENUM -> enumeration(field.getEnumType());
      case MESSAGE, GROUP -> message(field.getMessageType());
    };
  }

  private JsonObject enumeration(EnumDescriptor type) {
    String name = type.getFullName();
    if (!components.containsKey(name)) {
      JsonObject schema = type("string", null);
      JsonArray values = new JsonArray();
      for (EnumValueDescriptor value : type.getValues()) {
        values.add(value.getName());
      }
      schema.add("enum", values);
      describe(schema, comments.of(type));
      components.put(name, schema);
    }
    return ref(name);
  }

  private static JsonObject wellKnown(Descriptor type) {
    return switch (type.getFullName()) {
      case "google.protobuf.Timestamp" -> type("string", "date-time");
      case "google.protobuf.Duration" -> {
        JsonObject duration = type("string", null);
        duration.addProperty("pattern", "^-?[0-9]+(\\.[0-9]{1,9})?s$");
        yield duration;
      }
      case "google.protobuf.FieldMask" -> type("string", null);
      case "google.protobuf.StringValue" -> type("string", null);
      case "google.protobuf.BytesValue" -> bytes();
      case "google.protobuf.BoolValue" -> type("boolean", null);
      case "google.protobuf.DoubleValue" -> type("number", "double");
      case "google.protobuf.FloatValue" -> type("number", "float");
      case "google.protobuf.Int32Value" -> type("integer", "int32");
      case "google.protobuf.UInt32Value" -> type("integer", "int64");
      case "google.protobuf.Int64Value" -> type("string", "int64");
      case "google.protobuf.UInt64Value" -> type("string", "uint64");
      case "google.protobuf.Struct", "google.protobuf.Empty" -> type("object", null);
      case "google.protobuf.ListValue" -> type("array", null);
      case "google.protobuf.Value" -> new JsonObject(); // any JSON
      case "google.protobuf.Any" -> {
        JsonObject any = type("object", null);
        JsonObject properties = new JsonObject();
        properties.add("@type", type("string", null));
        any.add("properties", properties);
        JsonArray required = new JsonArray();
        required.add("@type");
        any.add("required", required);
        yield any;
      }
      default -> null;
    };
  }

  private static JsonObject bytes() {
    JsonObject bytes = type("string", null);
    bytes.addProperty("contentEncoding", "base64");
    return bytes;
  }

  static JsonObject type(String type, String format) {
    JsonObject schema = new JsonObject();
    schema.addProperty("type", type);
    if (format != null) {
      schema.addProperty("format", format);
    }
    return schema;
  }

  static void describe(JsonObject schema, String description) {
    if (description != null) {
      schema.addProperty("description", description);
    }
  }
}
