package dev.strand.web.transcoding.rules;

import com.google.protobuf.Descriptors.Descriptor;
import java.util.Set;

/**
 * The well-known types whose ProtoJSON form is one JSON value, so a path variable or a query
 * parameter can carry one: Timestamp and Duration as strings, FieldMask as comma-separated paths,
 * the wrappers as their value, Value as any JSON (or a bare string), Struct and ListValue as JSON
 * text.
 */
public final class WellKnownValues {
  private static final Set<String> SCALAR_LIKE =
      Set.of(
          "google.protobuf.Timestamp",
          "google.protobuf.Duration",
          "google.protobuf.FieldMask",
          "google.protobuf.DoubleValue",
          "google.protobuf.FloatValue",
          "google.protobuf.Int64Value",
          "google.protobuf.UInt64Value",
          "google.protobuf.Int32Value",
          "google.protobuf.UInt32Value",
          "google.protobuf.BoolValue",
          "google.protobuf.StringValue",
          "google.protobuf.BytesValue",
          "google.protobuf.Value",
          "google.protobuf.Struct",
          "google.protobuf.ListValue");

  private WellKnownValues() {}

  public static boolean isScalarLike(Descriptor message) {
    return SCALAR_LIKE.contains(message.getFullName());
  }

  /** Value, Struct and ListValue: their query text is JSON. */
  public static boolean isJsonValued(Descriptor message) {
    String name = message.getFullName();
    return name.equals("google.protobuf.Value")
        || name.equals("google.protobuf.Struct")
        || name.equals("google.protobuf.ListValue");
  }
}
