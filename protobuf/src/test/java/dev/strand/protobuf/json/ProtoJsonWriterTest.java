package dev.strand.protobuf.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.strand.protobuf.json.test.Choice;
import dev.strand.protobuf.json.test.Everything;
import dev.strand.protobuf.json.test.Extendable;
import dev.strand.protobuf.json.test.Fallbacks;
import dev.strand.protobuf.json.test.Maps;
import dev.strand.protobuf.json.test.OutOfOrder;
import dev.strand.protobuf.json.test.Page;
import dev.strand.protobuf.json.test.Proto2;
import dev.strand.protobuf.json.test.Repeateds;
import dev.strand.protobuf.json.test.Scalars;
import dev.strand.protobuf.json.test.Tree;
import dev.strand.protobuf.json.test.WellKnown;
import dev.strand.protobuf.json.test.WithGroup;
import dev.strand.protobuf.json.test.WithRequired;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The writer against JsonFormat, byte for byte, on random and on hand-made awkward messages. */
class ProtoJsonWriterTest {
  private static final JsonFormat.TypeRegistry TYPES =
      JsonFormat.TypeRegistry.newBuilder().add(Everything.getDescriptor()).build();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace().usingTypeRegistry(TYPES);

  private static final List<Message> FAST_TYPES =
      List.of(
          Everything.getDefaultInstance(),
          Scalars.getDefaultInstance(),
          Repeateds.getDefaultInstance(),
          Maps.getDefaultInstance(),
          Choice.getDefaultInstance(),
          Tree.getDefaultInstance(),
          WellKnown.getDefaultInstance(),
          Proto2.getDefaultInstance(),
          Page.getDefaultInstance());

  @Test
  void randomMessagesPrintAsJsonFormatPrintsThem() throws IOException {
    for (Message prototype : FAST_TYPES) {
      Descriptor type = prototype.getDescriptorForType();
      ProtoJsonWriter writer = ProtoJsonWriter.forType(type, TYPES);
      assertTrue(writer.fastPathForType(), type.getFullName());
      RandomMessages messages = new RandomMessages(type.getFullName().hashCode(), 4);
      for (int i = 0; i < 400; i++) {
        byte[] wire = messages.of(type).toByteArray();
        String expected = PRINTER.print(DynamicMessage.parseFrom(type, wire));
        byte[] fast = writer.writeFast(wire);
        assertNotNull(fast, () -> type.getFullName() + " fell back for " + expected);
        assertEquals(expected, new String(fast, StandardCharsets.UTF_8));
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), fast);
        // The generated message prints the same as the DynamicMessage.
        Message generated = prototype.getParserForType().parseFrom(wire);
        assertEquals(expected, PRINTER.print(generated));
        assertArrayEquals(fast, writer.write(generated.toByteArray()));
      }
    }
  }

  @Test
  void typesLeftToJsonFormatPrintAsItPrintsThem() throws IOException {
    for (Descriptor type :
        List.of(
            Fallbacks.getDescriptor(),
            OutOfOrder.getDescriptor(),
            WithGroup.getDescriptor(),
            Extendable.getDescriptor(),
            WithRequired.getDescriptor())) {
      assertFalse(ProtoJsonWriter.forType(type, TYPES).fastPathForType(), type.getFullName());
    }
    Fallbacks fallbacks =
        Fallbacks.newBuilder()
            .setAny(Any.pack(Scalars.newBuilder().setInt64Value(5).build()))
            .setStruct(
                Struct.newBuilder()
                    .putFields("a", Value.newBuilder().setNumberValue(1.5).build())
                    .putFields("b", Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build()))
            .setValue(Value.newBuilder().setStringValue("<x>"))
            .setList(ListValue.newBuilder().addValues(Value.newBuilder().setBoolValue(true)))
            .setMask(com.google.protobuf.FieldMask.newBuilder().addPaths("a.b_c"))
            .setName("n")
            .build();
    assertSame(Fallbacks.getDescriptor(), fallbacks.toByteArray());
    assertSame(
        OutOfOrder.getDescriptor(),
        OutOfOrder.newBuilder().setFirst("1").setSecond("2").build().toByteArray());
    assertSame(
        WithGroup.getDescriptor(),
        WithGroup.newBuilder()
            .setName("g")
            .setDetails(WithGroup.Details.newBuilder().setCount(3))
            .build()
            .toByteArray());
    assertSame(
        Extendable.getDescriptor(), Extendable.newBuilder().setName("e").build().toByteArray());
    assertSame(
        WithRequired.getDescriptor(), WithRequired.newBuilder().setId(1).build().toByteArray());
    assertThrows(
        InvalidProtocolBufferException.class,
        () -> ProtoJsonWriter.forType(WithRequired.getDescriptor(), TYPES).write(new byte[0]));
  }

  @Test
  void edgeValuesPrintAsJsonFormatPrintsThem() throws IOException {
    Scalars.Builder scalars = Scalars.newBuilder();
    for (double d :
        new double[] {
          -0.0,
          1e21,
          1e-7,
          Double.MIN_VALUE,
          Double.MAX_VALUE,
          Double.NaN,
          Double.NEGATIVE_INFINITY,
          1e7,
          9_999_999,
          -9_999_999,
          0.5
        }) {
      assertFast(
          Scalars.getDescriptor(),
          scalars.setDoubleValue(d).setFloatValue((float) d).build().toByteArray());
    }
    assertFast(
        Scalars.getDescriptor(),
        Scalars.newBuilder()
            .setInt64Value(Long.MIN_VALUE)
            .setUint64Value(-1)
            .setUint32Value(-1)
            .setSint64Value(Long.MIN_VALUE)
            .setSint32Value(Integer.MIN_VALUE)
            .setFixed64Value(Long.MIN_VALUE)
            .setColorValue(-3)
            .setCustomName("x")
            .setStringValue("\u2028<\u0000\u007f>")
            .build()
            .toByteArray());
    assertFast(
        WellKnown.getDescriptor(),
        WellKnown.newBuilder()
            .setTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(-62_135_596_800L))
            .setDuration(com.google.protobuf.Duration.newBuilder().setSeconds(0).setNanos(-5))
            .setEmpty(com.google.protobuf.Empty.getDefaultInstance())
            .setInt64Value(com.google.protobuf.Int64Value.getDefaultInstance())
            .setStringValue(com.google.protobuf.StringValue.getDefaultInstance())
            .build()
            .toByteArray());
    assertFast(
        Choice.getDescriptor(),
        Choice.newBuilder().setNumber(0).setFlag(false).build().toByteArray());
    assertFast(
        Proto2.getDescriptor(),
        Proto2.newBuilder()
            .setInt32Value(0)
            .setStringValue("")
            .setSize(dev.strand.protobuf.json.test.Size.SMALL)
            .build()
            .toByteArray());
    assertFast(
        Maps.getDescriptor(),
        Maps.newBuilder()
            .putStringToString("", "")
            .putInt32ToInt64(0, 0)
            .putBoolToBool(false, false)
            .putSint32ToMessage(0, Scalars.getDefaultInstance())
            .build()
            .toByteArray());
  }

  @Test
  void wireThatIsNotCanonicalPrintsAsJsonFormatPrintsIt() throws IOException {
    Descriptor scalars = Scalars.getDescriptor();
    // Out of number order, a singular field twice, an explicit default, an unknown field.
    assertFallsBack(
        scalars,
        wire(
            o -> {
              o.writeInt32(2, 5);
              o.writeInt32(1, 6);
            }));
    assertFallsBack(
        scalars,
        wire(
            o -> {
              o.writeInt32(1, 5);
              o.writeInt32(1, 6);
            }));
    assertFast(
        scalars,
        wire(
            o -> {
              o.writeInt32(1, 0);
              o.writeDouble(12, -0.0);
              o.writeString(14, "");
              o.writeInt32(99, 7);
            }));
    // A message split in two occurrences merges.
    assertFallsBack(
        Tree.getDescriptor(),
        wire(
            o -> {
              o.writeMessage(3, Tree.newBuilder().setName("a").build());
              o.writeMessage(3, Tree.newBuilder().addChildren(Tree.getDefaultInstance()).build());
            }));
    // Two members of one oneof: the last wins.
    assertFallsBack(
        Choice.getDescriptor(),
        wire(
            o -> {
              o.writeInt32(1, 5);
              o.writeString(2, "x");
            }));
    // Packed and unpacked runs of one repeated field, and an empty packed run.
    assertFast(
        Repeateds.getDescriptor(),
        wire(
            o -> {
              o.writeInt32(1, 1);
              o.writeByteArray(1, new byte[] {2, 3});
              o.writeInt32(1, 4);
              o.writeByteArray(2, new byte[0]);
              o.writeInt32(17, 9);
            }));
    // A closed enum's unknown value is an unknown field; malformed UTF-8; wrong wire type.
    assertFallsBack(Proto2.getDescriptor(), wire(o -> o.writeEnum(3, 99)));
    assertFallsBack(Proto2.getDescriptor(), wire(o -> o.writeEnum(6, 99)));
    assertFallsBack(
        Proto2.getDescriptor(), wire(o -> o.writeByteArray(2, new byte[] {'a', (byte) 0xC3})));
    assertFallsBack(
        scalars,
        wire(o -> o.writeByteArray(14, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})));
    assertFallsBack(scalars, wire(o -> o.writeFixed32(1, 5)));
    // Timestamps and Durations JsonFormat rejects.
    assertFallsBack(
        WellKnown.getDescriptor(),
        wire(
            o ->
                o.writeMessage(
                    1,
                    com.google.protobuf.Timestamp.newBuilder()
                        .setSeconds(253_402_300_800L)
                        .build())));
    assertFallsBack(
        WellKnown.getDescriptor(),
        wire(
            o ->
                o.writeMessage(
                    2,
                    com.google.protobuf.Duration.newBuilder().setSeconds(1).setNanos(-1).build())));
    // Truncated input.
    byte[] page =
        Page.newBuilder()
            .addItems(dev.strand.protobuf.json.test.Item.newBuilder().setName("abc"))
            .build()
            .toByteArray();
    assertFallsBack(Page.getDescriptor(), java.util.Arrays.copyOf(page, page.length - 1));
    // A map key given twice; a map entry's value given twice.
    assertSame(
        Maps.getDescriptor(),
        wire(
            o -> {
              o.writeMessage(1, entry("k", "a"));
              o.writeMessage(1, entry("k", "b"));
            }));
    assertFallsBack(
        Maps.getDescriptor(),
        wire(
            o ->
                o.writeByteArray(
                    1,
                    wire(
                        e -> {
                          e.writeString(1, "k");
                          e.writeString(2, "a");
                          e.writeString(2, "b");
                        }))));
    // Deeper than protobuf parses.
    Tree deep = Tree.getDefaultInstance();
    for (int i = 0; i < 120; i++) {
      deep = Tree.newBuilder().setParent(deep).build();
    }
    assertFallsBack(Tree.getDescriptor(), deep.toByteArray());
  }

  private static DynamicMessage entry(String key, String value) {
    Descriptor entry = Maps.getDescriptor().findFieldByName("string_to_string").getMessageType();
    return DynamicMessage.newBuilder(entry)
        .setField(entry.findFieldByNumber(1), key)
        .setField(entry.findFieldByNumber(2), value)
        .build();
  }

  private interface WireWriter {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] wire(WireWriter writer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    writer.write(out);
    out.flush();
    return bytes.toByteArray();
  }

  private static void assertFast(Descriptor type, byte[] wire) throws IOException {
    ProtoJsonWriter writer = ProtoJsonWriter.forType(type, TYPES);
    byte[] fast = writer.writeFast(wire);
    assertNotNull(fast);
    assertEquals(
        PRINTER.print(DynamicMessage.parseFrom(type, wire)),
        new String(fast, StandardCharsets.UTF_8));
  }

  private static void assertFallsBack(Descriptor type, byte[] wire) throws IOException {
    ProtoJsonWriter writer = ProtoJsonWriter.forType(type, TYPES);
    assertNull(writer.writeFast(wire));
    assertSame(type, wire);
  }

  /** The writer gives what JsonFormat gives on a DynamicMessage, an exception included. */
  private static void assertSame(Descriptor type, byte[] wire) throws IOException {
    ProtoJsonWriter writer = ProtoJsonWriter.forType(type, TYPES);
    String expected;
    try {
      expected = PRINTER.print(DynamicMessage.parseFrom(type, wire));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      assertThrows(e.getClass(), () -> writer.write(wire));
      return;
    }
    assertEquals(expected, new String(writer.write(wire), StandardCharsets.UTF_8));
  }

  @Test
  void emptyBytesAreAnEmptyObject() throws IOException {
    assertEquals(
        "{}",
        new String(
            ProtoJsonWriter.forType(Everything.getDescriptor(), TYPES)
                .write(ByteString.EMPTY.toByteArray()),
            StandardCharsets.UTF_8));
  }
}
