package dev.strand.protobuf.json;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.DynamicMessage;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random messages of any type, seeded, with the values at the edges of JSON printing favoured:
 * integer extremes, NaN, infinities, -0.0, exponents, strings JsonFormat escapes, unknown enum
 * numbers. Timestamps and Durations stay in their valid ranges; map keys do not repeat.
 */
final class RandomMessages {
  private static final long[] LONGS = {
    0,
    1,
    -1,
    7,
    127,
    128,
    300,
    Integer.MAX_VALUE,
    Integer.MIN_VALUE,
    0xffffffffL,
    Long.MAX_VALUE,
    Long.MIN_VALUE,
    1L << 53,
    -(1L << 53) - 1,
    9_999_999_999L
  };
  private static final double[] DOUBLES = {
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.1,
    1.5,
    100.0,
    1e7,
    9_999_999.0,
    12_345_678.0,
    1e21,
    1e22,
    1e-7,
    1e-3,
    0.001_5,
    123.456,
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    Double.MIN_VALUE,
    Double.MAX_VALUE,
    Double.MIN_NORMAL,
    -Double.MAX_VALUE,
    2.5e-300,
    (double) Long.MAX_VALUE,
    4.35,
    1.0 / 3
  };
  private static final String[] STRING_PARTS = {
    "",
    "a",
    "hello",
    " ",
    "\"",
    "\\",
    "/",
    "<",
    ">",
    "&",
    "=",
    "'",
    "\u0000",
    "\u0001",
    "\u001f",
    "\b",
    "\t",
    "\n",
    "\f",
    "\r",
    "\u007f",
    "\u0080",
    "é",
    "ß",
    "中文",
    "\u2028",
    "\u2029",
    "\u2027",
    "\ud83d\ude00",
    "\ufffd",
    "\ufeff",
    "\uffff",
    "\u0800",
    "\ud800\udc00",
    "\udbff\udfff",
    "{}",
    "[1,2]",
    "AZaz09"
  };

  private final Random random;
  private final int maxDepth;

  RandomMessages(long seed, int maxDepth) {
    this.random = new Random(seed);
    this.maxDepth = maxDepth;
  }

  DynamicMessage of(Descriptor type) {
    return of(type, 0);
  }

  private DynamicMessage of(Descriptor type, int depth) {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    String name = type.getFullName();
    if (name.equals("google.protobuf.Timestamp")) {
      long seconds = -62_135_596_800L + (long) (random.nextDouble() * 315_537_897_599L);
      return builder
          .setField(
              type.findFieldByNumber(1),
              pick(seconds, 0L, -1L, 253_402_300_799L, -62_135_596_800L, 951_782_400L))
          .setField(type.findFieldByNumber(2), nanos())
          .build();
    }
    if (name.equals("google.protobuf.Duration")) {
      long seconds = (long) (random.nextDouble() * 315_576_000_000L);
      int nanos = nanos();
      boolean negative = random.nextBoolean();
      return builder
          .setField(type.findFieldByNumber(1), negative ? -seconds : seconds)
          .setField(type.findFieldByNumber(2), negative ? -nanos : nanos)
          .build();
    }
    Set<OneofDescriptor> oneofsSet = new HashSet<>();
    for (FieldDescriptor field : type.getFields()) {
      boolean isMessage = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
      if (isMessage && depth >= maxDepth) {
        continue;
      }
      OneofDescriptor oneof = field.getRealContainingOneof();
      if (oneof != null && (oneofsSet.contains(oneof) || random.nextInt(3) != 0)) {
        continue;
      }
      if (random.nextInt(3) == 0) {
        continue;
      }
      if (oneof != null) {
        oneofsSet.add(oneof);
      }
      if (field.isMapField()) {
        Set<Object> keys = new HashSet<>();
        Descriptor entry = field.getMessageType();
        FieldDescriptor key = entry.findFieldByNumber(1);
        for (int i = random.nextInt(4); i > 0; i--) {
          Object k = value(key, depth);
          if (keys.add(k)) {
            DynamicMessage.Builder e = DynamicMessage.newBuilder(entry);
            if (random.nextInt(5) != 0) {
              e.setField(key, k);
            } else if (!keys.add(key.getDefaultValue())) {
              continue; // the missing key reads as the default, which is there already
            }
            if (random.nextInt(5) != 0) {
              e.setField(entry.findFieldByNumber(2), value(entry.findFieldByNumber(2), depth));
            }
            builder.addRepeatedField(field, e.build());
          }
        }
      } else if (field.isRepeated()) {
        for (int i = random.nextInt(4); i > 0; i--) {
          builder.addRepeatedField(field, value(field, depth));
        }
      } else {
        builder.setField(field, value(field, depth));
      }
    }
    return builder.build();
  }

  private Object value(FieldDescriptor field, int depth) {
    return switch (field.getType()) {
      case INT32, SINT32, SFIXED32, UINT32, FIXED32 -> (int) randomLong();
      case INT64, SINT64, SFIXED64, UINT64, FIXED64 -> randomLong();
      case FLOAT -> randomFloat();
      case DOUBLE -> randomDouble();
      case BOOL -> random.nextBoolean();
      case STRING -> randomString();
      case BYTES -> randomBytes();
      case ENUM -> randomEnum(field.getEnumType());
      case MESSAGE, GROUP -> of(field.getMessageType(), depth + 1);
    };
  }

  private long randomLong() {
    return switch (random.nextInt(4)) {
      case 0 -> random.nextLong();
      case 1 -> random.nextInt(1000) - 500;
      default -> LONGS[random.nextInt(LONGS.length)];
    };
  }

  private float randomFloat() {
    return switch (random.nextInt(4)) {
      case 0 -> Float.intBitsToFloat(random.nextInt());
      case 1 -> random.nextInt(2000) / 8f - 100;
      case 2 ->
          pick(
              Float.MIN_VALUE,
              Float.MAX_VALUE,
              Float.MIN_NORMAL,
              -Float.MAX_VALUE,
              1e-7f,
              1e7f,
              1.1f,
              0.1f,
              3.4e38f,
              16_777_216f);
      default -> (float) DOUBLES[random.nextInt(DOUBLES.length)];
    };
  }

  private double randomDouble() {
    return switch (random.nextInt(4)) {
      case 0 -> Double.longBitsToDouble(random.nextLong());
      case 1 -> random.nextInt(2000) / 8.0 - 100;
      case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
      default -> DOUBLES[random.nextInt(DOUBLES.length)];
    };
  }

  private String randomString() {
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(5); i > 0; i--) {
      text.append(STRING_PARTS[random.nextInt(STRING_PARTS.length)]);
    }
    return text.toString();
  }

  private ByteString randomBytes() {
    byte[] bytes = new byte[random.nextInt(9)];
    random.nextBytes(bytes);
    return ByteString.copyFrom(bytes);
  }

  private Object randomEnum(EnumDescriptor type) {
    if (!type.isClosed() && random.nextInt(6) == 0) {
      return type.findValueByNumberCreatingIfUnknown(random.nextInt(100) + 50);
    }
    List<com.google.protobuf.Descriptors.EnumValueDescriptor> values = type.getValues();
    return values.get(random.nextInt(values.size()));
  }

  private int nanos() {
    int nanos = random.nextInt(1_000_000_000);
    return switch (random.nextInt(4)) {
      case 0 -> 0;
      case 1 -> nanos / 1_000_000 * 1_000_000;
      case 2 -> nanos / 1000 * 1000;
      default -> nanos;
    };
  }

  @SafeVarargs
  private <T> T pick(T... choices) {
    return choices[random.nextInt(choices.length)];
  }
}
