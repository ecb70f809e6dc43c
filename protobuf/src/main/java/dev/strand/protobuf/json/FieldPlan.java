package dev.strand.protobuf.json;

import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** What the writer needs of one field, worked out once: its quoted name, kind and wire type. */
final class FieldPlan {
  /** How a value is read off the wire and printed. */
  enum Kind {
    INT32,
    INT64,
    UINT32,
    UINT64,
    SINT32,
    SINT64,
    FIXED32,
    FIXED64,
    SFIXED32,
    SFIXED64,
    FLOAT,
    DOUBLE,
    BOOL,
    ENUM,
    STRING,
    BYTES,
    MESSAGE
  }

  final FieldDescriptor field;
  final Kind kind;

  /** {@code "jsonName":} as UTF-8. */
  final byte[] quotedName;

  final boolean repeated;
  final boolean map;

  /** Proto3-style implicit presence: a default value on the wire is not printed. */
  final boolean implicitPresence;

  /** The wire type of one unpacked value. */
  final int wireType;

  /** Whether a repeated field of this kind may come packed (wire type 2). */
  final boolean packable;

  /** Index of the real oneof this field belongs to, or -1. */
  final int oneofIndex;

  /** Enum value names, quoted, by number (null for unknown numbers); set for enums. */
  private final Map<Integer, byte[]> enumNames;

  final boolean openEnum;
  final int enumDefaultNumber;

  /** The plan of a message (or map entry) value, linked after all plans exist. */
  MessagePlan message;

  FieldPlan(FieldDescriptor field) {
    this.field = field;
    this.kind = kindOf(field.getType());
    this.quotedName = ("\"" + field.getJsonName() + "\":").getBytes(StandardCharsets.UTF_8);
    this.repeated = field.isRepeated();
    this.map = field.isMapField();
    this.implicitPresence = !field.isRepeated() && !field.hasPresence();
    this.wireType = field.getLiteType().getWireType();
    this.packable = field.isRepeated() && field.getLiteType().isPackable();
    this.oneofIndex =
        field.getRealContainingOneof() == null ? -1 : field.getRealContainingOneof().getIndex();
    if (kind == Kind.ENUM) {
      EnumDescriptor type = field.getEnumType();
      enumNames = new HashMap<>();
      for (EnumValueDescriptor value : type.getValues()) {
        // With aliases, JsonFormat prints the name the descriptor finds for the number.
        EnumValueDescriptor canonical = type.findValueByNumber(value.getNumber());
        enumNames.put(
            value.getNumber(),
            ("\"" + canonical.getName() + "\"").getBytes(StandardCharsets.UTF_8));
      }
      openEnum = !type.isClosed();
      enumDefaultNumber =
          field.isRepeated()
              ? type.getValues().get(0).getNumber()
              : ((EnumValueDescriptor) field.getDefaultValue()).getNumber();
    } else {
      enumNames = null;
      openEnum = false;
      enumDefaultNumber = 0;
    }
  }

  /** The quoted name of an enum value, or null when the number is not one of the enum's. */
  byte[] enumName(int number) {
    return enumNames.get(number);
  }

  boolean isLengthDelimited() {
    return wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }

  private static Kind kindOf(FieldDescriptor.Type type) {
    return switch (type) {
      case INT32 -> Kind.INT32;
      case INT64 -> Kind.INT64;
      case UINT32 -> Kind.UINT32;
      case UINT64 -> Kind.UINT64;
      case SINT32 -> Kind.SINT32;
      case SINT64 -> Kind.SINT64;
      case FIXED32 -> Kind.FIXED32;
      case FIXED64 -> Kind.FIXED64;
      case SFIXED32 -> Kind.SFIXED32;
      case SFIXED64 -> Kind.SFIXED64;
      case FLOAT -> Kind.FLOAT;
      case DOUBLE -> Kind.DOUBLE;
      case BOOL -> Kind.BOOL;
      case ENUM -> Kind.ENUM;
      case STRING -> Kind.STRING;
      case BYTES -> Kind.BYTES;
      case MESSAGE, GROUP -> Kind.MESSAGE;
    };
  }
}
