package dev.strand.protobuf.json;

import com.google.protobuf.WireFormat;
import dev.strand.protobuf.json.FieldPlan.Kind;

/**
 * One pass over a message's wire bytes that prints its ProtoJSON as it goes, field by field in the
 * order they come. That order is JsonFormat's (field number order) only when the wire is canonical,
 * so anything else stops the pass with {@link NotFastPath}: a field out of number order, a singular
 * field or oneof given twice (the last would win, or messages would merge), a wire type that is not
 * the field's, a group, an enum number a closed enum lacks, malformed UTF-8, a Timestamp or
 * Duration out of range, nesting deeper than protobuf parses, truncated input.
 */
final class WireJsonScanner {
  /** protobuf-java's default recursion limit: deeper input fails to parse there. */
  private static final int MAX_DEPTH = 100;

  private static final long NEGATIVE_ZERO_DOUBLE = Double.doubleToRawLongBits(-0.0);
  private static final int NEGATIVE_ZERO_FLOAT = Float.floatToRawIntBits(-0.0f);
  private static final byte[] NAN = JsonBytes.ascii("\"NaN\"");
  private static final byte[] INFINITY = JsonBytes.ascii("\"Infinity\"");
  private static final byte[] NEGATIVE_INFINITY = JsonBytes.ascii("\"-Infinity\"");
  private static final byte[] TRUE = JsonBytes.ascii("true");
  private static final byte[] FALSE = JsonBytes.ascii("false");
  private static final byte[] POINT_ZERO = JsonBytes.ascii(".0");

  private final byte[] in;
  private final JsonBytes out;
  private int pos;

  /** The last Timestamp's or Duration's fields, read by {@link #readSecondsAndNanos}. */
  private long seconds;

  private int nanos;

  WireJsonScanner(byte[] in, JsonBytes out) {
    this.in = in;
    this.out = out;
  }

  /** Prints the whole input as a message of this plan. */
  void writeMessage(MessagePlan plan) {
    pos = 0;
    message(plan, in.length, 0);
  }

  private void message(MessagePlan plan, int limit, int depth) {
    if (!plan.fast || depth > MAX_DEPTH) {
      throw NotFastPath.INSTANCE;
    }
    switch (plan.form) {
      case TIMESTAMP -> timestamp(limit);
      case DURATION -> duration(limit);
      case WRAPPER -> wrapper(plan, limit, depth);
      case OBJECT -> object(plan, limit, depth);
    }
  }

  private void object(MessagePlan plan, int limit, int depth) {
    out.write((byte) '{');
    boolean first = true;
    int lastNumber = 0;
    FieldPlan open = null; // the repeated field whose '[' or '{' is written and not yet closed
    long oneofsSeen = 0;
    while (pos < limit) {
      int tag = readTag();
      int number = tag >>> 3;
      int wireType = tag & 7;
      FieldPlan field = plan.field(number);
      if (field == null) {
        skip(wireType, limit); // JsonFormat does not print unknown fields
        continue;
      }
      if (number < lastNumber || (number == lastNumber && !field.repeated)) {
        throw NotFastPath.INSTANCE;
      }
      if (number != lastNumber) {
        if (open != null) {
          close(open);
          open = null;
        }
        lastNumber = number;
        if (field.oneofIndex >= 0) {
          long bit = 1L << field.oneofIndex;
          if ((oneofsSeen & bit) != 0) {
            throw NotFastPath.INSTANCE;
          }
          oneofsSeen |= bit;
        }
      }
      if (field.repeated) {
        if (wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED && field.packable) {
          int end = lengthDelimitedEnd(limit);
          while (pos < end) {
            first = openOrSeparate(field, open, first);
            open = field;
            scalar(field, readScalar(field), false);
          }
          if (pos != end) {
            throw NotFastPath.INSTANCE;
          }
          continue;
        }
        expect(field, wireType);
        first = openOrSeparate(field, open, first);
        open = field;
        if (field.map) {
          mapEntry(field, limit, depth);
        } else {
          value(field, limit, depth);
        }
        continue;
      }
      expect(field, wireType);
      if (field.isLengthDelimited()) {
        int length = readLength(limit);
        if (length == 0 && field.implicitPresence) {
          continue;
        }
        first = separate(first);
        out.write(field.quotedName);
        lengthDelimited(field, pos + length, depth);
      } else {
        long bits = readScalar(field);
        if (field.implicitPresence && isZero(field, bits)) {
          continue;
        }
        first = separate(first);
        out.write(field.quotedName);
        scalar(field, bits, false);
      }
    }
    if (pos != limit) {
      throw NotFastPath.INSTANCE;
    }
    if (open != null) {
      close(open);
    }
    out.write((byte) '}');
  }

  private boolean separate(boolean first) {
    if (!first) {
      out.write((byte) ',');
    }
    return false;
  }

  /** Before one element of a repeated field: its name and bracket if it is new, else a comma. */
  private boolean openOrSeparate(FieldPlan field, FieldPlan open, boolean first) {
    if (open == field) {
      out.write((byte) ',');
      return first;
    }
    separate(first);
    out.write(field.quotedName);
    out.write(field.map ? (byte) '{' : (byte) '[');
    return false;
  }

  private void close(FieldPlan field) {
    out.write(field.map ? (byte) '}' : (byte) ']');
  }

  /** One unpacked value of the field, its tag read. */
  private void value(FieldPlan field, int limit, int depth) {
    if (field.isLengthDelimited()) {
      int length = readLength(limit);
      lengthDelimited(field, pos + length, depth);
    } else {
      scalar(field, readScalar(field), false);
    }
  }

  /** A string, bytes or message value that runs from {@code pos} to {@code end}. */
  private void lengthDelimited(FieldPlan field, int end, int depth) {
    switch (field.kind) {
      case STRING -> {
        if (!out.writeString(in, pos, end - pos)) {
          throw NotFastPath.INSTANCE;
        }
      }
      case BYTES -> out.writeBase64(in, pos, end - pos);
      default -> message(field.message, end, depth + 1);
    }
    pos = end;
  }

  private void mapEntry(FieldPlan field, int limit, int depth) {
    int end = lengthDelimitedEnd(limit);
    FieldPlan keyField = field.message.field(1);
    FieldPlan valueField = field.message.field(2);
    long keyBits = 0;
    int keyStart = pos;
    int keyEnd = pos;
    long valueBits = valueField.kind == Kind.ENUM ? valueField.enumDefaultNumber : 0;
    int valueStart = pos;
    int valueEnd = pos;
    boolean keySeen = false;
    boolean valueSeen = false;
    while (pos < end) {
      int tag = readTag();
      int number = tag >>> 3;
      FieldPlan part = number == 1 ? keyField : number == 2 ? valueField : null;
      if (part == null) {
        skip(tag & 7, end);
        continue;
      }
      expect(part, tag & 7);
      if (number == 1 ? keySeen : valueSeen) {
        throw NotFastPath.INSTANCE;
      }
      if (part.isLengthDelimited()) {
        int partEnd = lengthDelimitedEnd(end);
        if (number == 1) {
          keyStart = pos;
          keyEnd = partEnd;
        } else {
          valueStart = pos;
          valueEnd = partEnd;
        }
        pos = partEnd;
      } else if (number == 1) {
        keyBits = readScalar(part);
      } else {
        valueBits = readScalar(part);
      }
      keySeen |= number == 1;
      valueSeen |= number == 2;
    }
    if (pos != end) {
      throw NotFastPath.INSTANCE;
    }
    if (keyField.kind == Kind.STRING) {
      if (!out.writeString(in, keyStart, keyEnd - keyStart)) {
        throw NotFastPath.INSTANCE;
      }
    } else {
      scalar(keyField, keyBits, true);
    }
    out.write((byte) ':');
    if (valueField.isLengthDelimited()) {
      pos = valueStart;
      lengthDelimited(valueField, valueEnd, depth);
    } else {
      scalar(valueField, valueBits, false);
    }
    pos = end;
  }

  private void wrapper(MessagePlan plan, int limit, int depth) {
    FieldPlan valueField = plan.field(1);
    long bits = 0;
    int start = pos;
    int end = pos;
    boolean seen = false;
    while (pos < limit) {
      int tag = readTag();
      if (tag >>> 3 != 1) {
        skip(tag & 7, limit);
        continue;
      }
      expect(valueField, tag & 7);
      if (seen) {
        throw NotFastPath.INSTANCE;
      }
      seen = true;
      if (valueField.isLengthDelimited()) {
        end = lengthDelimitedEnd(limit);
        start = pos;
        pos = end;
      } else {
        bits = readScalar(valueField);
      }
    }
    if (pos != limit) {
      throw NotFastPath.INSTANCE;
    }
    if (valueField.isLengthDelimited()) {
      pos = start;
      lengthDelimited(valueField, end, depth);
      pos = limit;
    } else {
      scalar(valueField, bits, false);
    }
  }

  private void timestamp(int limit) {
    readSecondsAndNanos(limit);
    if (!TimeJson.writeTimestamp(out, seconds, nanos)) {
      throw NotFastPath.INSTANCE;
    }
  }

  private void duration(int limit) {
    readSecondsAndNanos(limit);
    if (!TimeJson.writeDuration(out, seconds, nanos)) {
      throw NotFastPath.INSTANCE;
    }
  }

  /** Timestamp's and Duration's two varint fields, each at most once, into the fields above. */
  private void readSecondsAndNanos(int limit) {
    seconds = 0;
    nanos = 0;
    boolean secondsSeen = false;
    boolean nanosSeen = false;
    while (pos < limit) {
      int tag = readTag();
      int number = tag >>> 3;
      if (number != 1 && number != 2) {
        skip(tag & 7, limit);
        continue;
      }
      if ((tag & 7) != WireFormat.WIRETYPE_VARINT || (number == 1 ? secondsSeen : nanosSeen)) {
        throw NotFastPath.INSTANCE;
      }
      if (number == 1) {
        seconds = readVarint();
        secondsSeen = true;
      } else {
        nanos = (int) readVarint();
        nanosSeen = true;
      }
    }
    if (pos != limit) {
      throw NotFastPath.INSTANCE;
    }
  }

  private static boolean isZero(FieldPlan field, long bits) {
    return switch (field.kind) {
      case INT32, UINT32, SINT32, ENUM -> (int) bits == 0;
      default -> bits == 0;
    };
  }

  /** One scalar from its raw bits (a varint, or the fixed bytes as an unsigned number). */
  private void scalar(FieldPlan field, long bits, boolean mapKey) {
    switch (field.kind) {
      case INT32, SFIXED32 -> {
        int value = (int) bits; // the low 32 bits, sign-extended back, as parsers read int32
        quotedIf(mapKey, value);
      }
      case UINT32, FIXED32 -> quotedIf(mapKey, bits & 0xffffffffL);
      case SINT32 -> {
        int raw = (int) bits;
        quotedIf(mapKey, (raw >>> 1) ^ -(raw & 1));
      }
      case INT64, SFIXED64 -> quoted(bits);
      case SINT64 -> quoted((bits >>> 1) ^ -(bits & 1));
      case UINT64, FIXED64 -> {
        out.write((byte) '"');
        out.writeUnsignedLong(bits);
        out.write((byte) '"');
      }
      case BOOL -> {
        if (mapKey) {
          out.write((byte) '"');
        }
        out.write(bits != 0 ? TRUE : FALSE);
        if (mapKey) {
          out.write((byte) '"');
        }
      }
      case FLOAT -> writeFloat((int) bits);
      case DOUBLE -> writeDouble(bits);
      case ENUM -> {
        byte[] name = field.enumName((int) bits);
        if (name != null) {
          out.write(name);
        } else if (field.openEnum) {
          int number = (int) bits; // enums are int32 on the wire
          out.writeLong(number); // JsonFormat prints an unknown value's number
        } else {
          throw NotFastPath.INSTANCE; // a closed enum's unknown value is an unknown field
        }
      }
      default -> throw new IllegalStateException("not a scalar: " + field.kind);
    }
  }

  private void quotedIf(boolean quote, long value) {
    if (quote) {
      quoted(value);
    } else {
      out.writeLong(value);
    }
  }

  private void quoted(long value) {
    out.write((byte) '"');
    out.writeLong(value);
    out.write((byte) '"');
  }

  /** As {@code Float.toString}, which JsonFormat prints; integral values without the call. */
  private void writeFloat(int bits) {
    float value = Float.intBitsToFloat(bits);
    if (Float.isNaN(value)) {
      out.write(NAN);
    } else if (Float.isInfinite(value)) {
      out.write(value > 0 ? INFINITY : NEGATIVE_INFINITY);
    } else if (value == (int) value && Math.abs(value) < 1e7f && bits != NEGATIVE_ZERO_FLOAT) {
      out.writeLong((int) value);
      out.write(POINT_ZERO);
    } else {
      out.writeAscii(Float.toString(value));
    }
  }

  /** As {@code Double.toString}, which JsonFormat prints; integral values without the call. */
  private void writeDouble(long bits) {
    double value = Double.longBitsToDouble(bits);
    if (Double.isNaN(value)) {
      out.write(NAN);
    } else if (Double.isInfinite(value)) {
      out.write(value > 0 ? INFINITY : NEGATIVE_INFINITY);
    } else if (value == (long) value && Math.abs(value) < 1e7 && bits != NEGATIVE_ZERO_DOUBLE) {
      out.writeLong((long) value);
      out.write(POINT_ZERO);
    } else {
      out.writeAscii(Double.toString(value));
    }
  }

  private static void expect(FieldPlan field, int wireType) {
    if (wireType != field.wireType) {
      throw NotFastPath.INSTANCE;
    }
  }

  private long readScalar(FieldPlan field) {
    return switch (field.wireType) {
      case WireFormat.WIRETYPE_VARINT -> readVarint();
      case WireFormat.WIRETYPE_FIXED32 -> readFixed32() & 0xffffffffL;
      case WireFormat.WIRETYPE_FIXED64 -> readFixed64();
      default -> throw NotFastPath.INSTANCE;
    };
  }

  private void skip(int wireType, int limit) {
    switch (wireType) {
      case WireFormat.WIRETYPE_VARINT -> readVarint();
      case WireFormat.WIRETYPE_FIXED64 -> pos += 8;
      case WireFormat.WIRETYPE_LENGTH_DELIMITED -> pos = lengthDelimitedEnd(limit);
      case WireFormat.WIRETYPE_FIXED32 -> pos += 4;
      default -> throw NotFastPath.INSTANCE; // groups, and wire types that do not exist
    }
    if (pos > limit) {
      throw NotFastPath.INSTANCE;
    }
  }

  private int readTag() {
    long tag = readVarint();
    if (tag >>> 3 == 0 || tag > Integer.MAX_VALUE) {
      throw NotFastPath.INSTANCE;
    }
    return (int) tag;
  }

  /** Reads a length and returns where the value it announces ends. */
  private int lengthDelimitedEnd(int limit) {
    int length = readLength(limit);
    return pos + length;
  }

  private int readLength(int limit) {
    long length = readVarint();
    if (length < 0 || length > limit - pos) {
      throw NotFastPath.INSTANCE;
    }
    return (int) length;
  }

  private long readVarint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = in[pos++];
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw NotFastPath.INSTANCE;
  }

  private int readFixed32() {
    int p = pos;
    pos += 4;
    return (in[p] & 0xff)
        | (in[p + 1] & 0xff) << 8
        | (in[p + 2] & 0xff) << 16
        | (in[p + 3] & 0xff) << 24;
  }

  private long readFixed64() {
    return (readFixed32() & 0xffffffffL) | (long) readFixed32() << 32;
  }
}
