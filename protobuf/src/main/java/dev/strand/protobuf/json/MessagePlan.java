package dev.strand.protobuf.json;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the writer needs of one message type, worked out once: its fields by number, its special
 * JSON form if it is a well-known type, and whether it (alone, not counting the types it holds) can
 * take the fast path at all.
 */
final class MessagePlan {
  /** The JSON forms of the well-known types the writer prints itself. */
  enum Form {
    /** A JSON object of the fields. */
    OBJECT,
    TIMESTAMP,
    DURATION,
    /** A wrapper (Int32Value, StringValue, ...): its {@code value} field alone. */
    WRAPPER
  }

  /** The types whose JSON form the writer leaves to JsonFormat. */
  private static final Set<String> FALLBACK_TYPES =
      Set.of(
          "google.protobuf.Any",
          "google.protobuf.Struct",
          "google.protobuf.Value",
          "google.protobuf.ListValue",
          "google.protobuf.FieldMask");

  private static final Set<String> WRAPPERS =
      Set.of(
          "google.protobuf.DoubleValue",
          "google.protobuf.FloatValue",
          "google.protobuf.Int64Value",
          "google.protobuf.UInt64Value",
          "google.protobuf.Int32Value",
          "google.protobuf.UInt32Value",
          "google.protobuf.BoolValue",
          "google.protobuf.StringValue",
          "google.protobuf.BytesValue");

  /** Field numbers up to this are looked up in an array, larger ones in a map. */
  private static final int DENSE_LIMIT = 256;

  final Descriptor type;
  final Form form;

  /** False when something about this type itself is left to JsonFormat. */
  final boolean fast;

  private final FieldPlan[] dense;
  private final Map<Integer, FieldPlan> sparse;

  private MessagePlan(Descriptor type) {
    this.type = type;
    String name = type.getFullName();
    this.form =
        switch (name) {
          case "google.protobuf.Timestamp" -> Form.TIMESTAMP;
          case "google.protobuf.Duration" -> Form.DURATION;
          default -> WRAPPERS.contains(name) ? Form.WRAPPER : Form.OBJECT;
        };
    List<FieldDescriptor> fields = type.getFields();
    int max = 0;
    for (FieldDescriptor field : fields) {
      max = Math.max(max, field.getNumber());
    }
    dense = new FieldPlan[Math.min(max, DENSE_LIMIT) + 1];
    sparse = new HashMap<>();
    for (FieldDescriptor field : fields) {
      FieldPlan plan = new FieldPlan(field);
      if (field.getNumber() <= DENSE_LIMIT) {
        dense[field.getNumber()] = plan;
      } else {
        sparse.put(field.getNumber(), plan);
      }
    }
    this.fast = fastPathFits(type);
  }

  /**
   * The plans of {@code root} and every type it holds, linked, into {@code plans} (keyed by type,
   * so recursive types link to themselves).
   */
  static MessagePlan of(Descriptor root, Map<Descriptor, MessagePlan> plans) {
    MessagePlan existing = plans.get(root);
    if (existing != null) {
      return existing;
    }
    MessagePlan plan = new MessagePlan(root);
    plans.put(root, plan);
    for (FieldDescriptor field : root.getFields()) {
      if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        plan.field(field.getNumber()).message = of(field.getMessageType(), plans);
      }
    }
    return plan;
  }

  FieldPlan field(int number) {
    return number < dense.length ? dense[number] : sparse.get(number);
  }

  /**
   * JsonFormat prints a message's fields in the order {@code getAllFields} gives them: number order
   * for a DynamicMessage, declaration order for a generated one. The writer prints in number order,
   * so only types whose two orders agree take the fast path; groups, extensions (printed from a
   * generated message, unknown to a DynamicMessage), required fields (a missing one fails the
   * parse, which the writer does not check) and the special forms above do not.
   */
  private static boolean fastPathFits(Descriptor type) {
    if (FALLBACK_TYPES.contains(type.getFullName())
        || type.isExtendable()
        || type.getRealOneofs().size() > 64) {
      return false;
    }
    int previous = 0;
    for (FieldDescriptor field : type.getFields()) {
      if (field.getNumber() < previous
          || field.isRequired()
          || field.getType() == FieldDescriptor.Type.GROUP
          || (field.getType() == FieldDescriptor.Type.ENUM
              && field.getEnumType().getFullName().equals("google.protobuf.NullValue"))) {
        return false;
      }
      previous = field.getNumber();
    }
    return true;
  }
}
