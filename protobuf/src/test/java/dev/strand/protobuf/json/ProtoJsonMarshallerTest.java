package dev.strand.protobuf.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.Field;
import com.google.protobuf.Int64Value;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Type;
import dev.strand.Marshaller;
import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.protobuf.ProtoMarshaller;
import dev.strand.testing.Utf8Marshaller;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtoJsonMarshallerTest {
  final ProtoJsonMarshaller<Field> fields = ProtoJsonMarshaller.of(Field.getDefaultInstance());

  static String write(Marshaller<?> m, Object value) throws IOException {
    @SuppressWarnings("unchecked")
    Marshaller<Object> marshaller = (Marshaller<Object>) m;
    ByteBuffer target = ByteBuffer.allocate(marshaller.sizeOf(value));
    marshaller.write(value, target);
    assertEquals(target.capacity(), target.position(), "write must fill exactly sizeOf bytes");
    return new String(target.array(), StandardCharsets.UTF_8);
  }

  @Test
  void printsLowerCamelCaseNamesAndEnumsByNameCompactly() throws IOException {
    Field field =
        Field.newBuilder()
            .setKind(Field.Kind.TYPE_STRING)
            .setJsonName("caf\u00e9")
            .setOneofIndex(3)
            .build();
    assertEquals(
        "{\"kind\":\"TYPE_STRING\",\"oneofIndex\":3,\"jsonName\":\"caf\u00e9\"}",
        write(fields, field));
  }

  @Test
  void acceptsProtoNamesAndJsonNamesOnInput() throws IOException {
    Field expected = Field.newBuilder().setOneofIndex(3).setTypeUrl("x").build();
    assertEquals(expected, fields.parse("{\"oneof_index\":3,\"typeUrl\":\"x\"}"));
    assertEquals(expected, fields.parse("{\"oneofIndex\":3,\"type_url\":\"x\"}"));
  }

  @Test
  void int64IsAStringAndIsReadFromEither() throws IOException {
    ProtoJsonMarshaller<Int64Value> m = ProtoJsonMarshaller.of(Int64Value.getDefaultInstance());
    assertEquals("\"9007199254740993\"", write(m, Int64Value.of(9007199254740993L)));
    assertEquals(Int64Value.of(7), m.parse("7"));
    assertEquals(Int64Value.of(7), m.parse("\"7\""));
  }

  @Test
  void wellKnownTypesAndAnyOfAKnownType() throws IOException {
    ProtoJsonMarshaller<Any> m =
        ProtoJsonMarshaller.of(
            Any.getDefaultInstance(),
            com.google.protobuf.util.JsonFormat.TypeRegistry.newBuilder()
                .add(Timestamp.getDescriptor())
                .build());
    Any any = Any.pack(Timestamp.newBuilder().setSeconds(1).setNanos(500_000_000).build());
    String json = write(m, any);
    assertEquals(
        "{\"@type\":\"type.googleapis.com/google.protobuf.Timestamp\","
            + "\"value\":\"1970-01-01T00:00:01.500Z\"}",
        json);
    assertEquals(any, m.parse(json));
  }

  @Test
  void parsesFromBuffersAndStreams() throws IOException {
    byte[] json = "{\"name\":\"\u00e9t\u00e9\"}".getBytes(StandardCharsets.UTF_8);
    Field expected = Field.newBuilder().setName("\u00e9t\u00e9").build();
    assertEquals(expected, fields.parse(ByteBuffer.wrap(json)));
    assertEquals(expected, fields.parse(ByteBuffer.allocateDirect(json.length).put(json).flip()));
    assertEquals(expected, fields.parse(new ByteArrayInputStream(json)));
  }

  @Test
  void unknownFieldsAreIgnoredUnlessStrict() throws IOException {
    assertEquals(Field.getDefaultInstance(), fields.parse("{\"notAField\":1}"));
    ProtoJsonMarshaller<Field> strict =
        ProtoJsonMarshaller.strict(
            Field.getDefaultInstance(),
            com.google.protobuf.util.JsonFormat.TypeRegistry.getEmptyTypeRegistry());
    assertInvalid(() -> strict.parse("{\"notAField\":1}"), "notAField");
  }

  @Test
  void badInputIsInvalidArgumentNamingTheProblem() {
    assertInvalid(() -> fields.parse("{\"name\":"), "google.protobuf.Field");
    assertInvalid(() -> fields.parse("[1,2]"), "google.protobuf.Field");
    assertInvalid(() -> fields.parse("{\"oneofIndex\":\"three\"}"), "three");
    assertInvalid(() -> fields.parse("{\"packed\":\"yes\"}"), "yes");
    assertInvalid(
        () -> fields.parse(ByteBuffer.wrap(new byte[] {'"', (byte) 0xff, '"'})), "not UTF-8");
  }

  private static void assertInvalid(org.junit.jupiter.api.function.Executable parse, String named) {
    IOException e = assertThrows(IOException.class, parse);
    StatusException status = assertInstanceOf(StatusException.class, e.getCause());
    assertEquals(Status.Code.INVALID_ARGUMENT, status.status().code());
    assertTrue(
        status.status().description().contains(named),
        () -> status.status().description() + " should name " + named);
  }

  @Test
  void aMethodsJsonFormatIsItsOwnOrDerivedFromFullMessages() throws IOException {
    MethodDescriptor<Type, Field> method =
        MethodDescriptor.of(
            MethodType.UNARY,
            "p.S/M",
            ProtoMarshaller.of(Type.getDefaultInstance()),
            ProtoMarshaller.of(Field.getDefaultInstance()));
    MethodDescriptor.Format<Type, Field> derived = JsonFormats.of(method);
    assertNotNull(derived);
    assertEquals("json", derived.name());
    assertEquals(
        "{\"name\":\"t\"}", write(derived.response(), Field.newBuilder().setName("t").build()));
    assertEquals(
        Type.newBuilder().setName("x").build(),
        derived
            .request()
            .parse(new ByteArrayInputStream("{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8))));

    MethodDescriptor<Type, Field> declared =
        method.withFormat("json", derived.request(), derived.response());
    assertEquals(declared.format("json"), JsonFormats.of(declared));

    MethodDescriptor<String, String> notProto =
        MethodDescriptor.of(
            MethodType.UNARY, "p.S/M", Utf8Marshaller.INSTANCE, Utf8Marshaller.INSTANCE);
    assertNull(JsonFormats.of(notProto));
  }
}
