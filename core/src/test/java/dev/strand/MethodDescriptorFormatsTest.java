package dev.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.testing.Utf8Marshaller;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A method carries its binary marshallers and, by name, more formats for other protocols. */
class MethodDescriptorFormatsTest {
  private static final Marshaller<String> BINARY = Utf8Marshaller.INSTANCE;
  private static final Marshaller<String> JSON =
      new Marshaller<>() {
        @Override
        public int sizeOf(String value) {
          return value.length() + 2;
        }

        @Override
        public void write(String value, ByteBuffer target) {
          target.put(("\"" + value + "\"").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public String parse(ByteBuffer source) {
          return java.nio.charset.StandardCharsets.UTF_8.decode(source).toString();
        }

        @Override
        public String parse(InputStream source) {
          throw new UnsupportedOperationException();
        }
      };

  private final MethodDescriptor<String, String> plain =
      MethodDescriptor.of(MethodType.UNARY, "test.Echo/Say", BINARY, BINARY);

  @Test
  void theBinaryFormatIsProtoAndComesFirst() {
    assertEquals(1, plain.formats().size());
    assertSame(BINARY, plain.format(MethodDescriptor.PROTO).request());
    assertSame(BINARY, plain.format(MethodDescriptor.PROTO).response());
    assertNull(plain.format("json"));
  }

  @Test
  void withFormatAddsOneAndLeavesTheOriginalAlone() {
    MethodDescriptor<String, String> both = plain.withFormat("json", JSON, JSON);
    assertSame(JSON, both.format("json").request());
    assertSame(BINARY, both.requestMarshaller(), "the binary format stays gRPC's");
    assertEquals("test.Echo/Say", both.fullName());
    assertEquals(MethodType.UNARY, both.type());
    assertEquals(2, both.formats().size());
    assertEquals(MethodDescriptor.PROTO, both.formats().get(0).name());
    assertNull(plain.format("json"), "descriptors are immutable");
    assertThrows(UnsupportedOperationException.class, () -> both.formats().clear());
  }

  @Test
  void aNameIsTakenOnce() {
    MethodDescriptor<String, String> both = plain.withFormat("json", JSON, JSON);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> both.withFormat("json", JSON, JSON));
    assertTrue(
        e.getMessage().contains("test.Echo/Say") && e.getMessage().contains("'json'"),
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> plain.withFormat(MethodDescriptor.PROTO, JSON, JSON));
    assertThrows(NullPointerException.class, () -> plain.withFormat("xml", null, JSON));
  }
}
