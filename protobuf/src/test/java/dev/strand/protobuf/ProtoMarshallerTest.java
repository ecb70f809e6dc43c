package dev.strand.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ProtoMarshallerTest {
  final ProtoMarshaller<Struct> marshaller = ProtoMarshaller.of(Struct.getDefaultInstance());
  final Struct message =
      Struct.newBuilder()
          .putFields("name", Value.newBuilder().setStringValue("caf\u00e9").build())
          .putFields("n", Value.newBuilder().setNumberValue(42).build())
          .build();

  @Test
  void writesExactlySizeOfBytesAtThePositionIntoDirectAndHeapBuffers() throws IOException {
    for (ByteBuffer buffer :
        new ByteBuffer[] {ByteBuffer.allocateDirect(200), ByteBuffer.allocate(200)}) {
      buffer.position(5);
      int size = marshaller.sizeOf(message);
      ByteBuffer slice = buffer.slice();
      slice.limit(size);
      marshaller.write(message, slice);
      assertEquals(size, slice.position(), "position must end after the message");
      slice.flip();
      assertEquals(message, marshaller.parse(slice));
    }
  }

  @Test
  void parsesFromAStream() throws IOException {
    assertEquals(message, marshaller.parse(new ByteArrayInputStream(message.toByteArray())));
  }

  @Test
  void bytesFieldsDoNotAliasTheTransportBuffer() throws IOException {
    ProtoMarshaller<BytesValue> m = ProtoMarshaller.of(BytesValue.getDefaultInstance());
    BytesValue original = BytesValue.of(ByteString.copyFromUtf8("payload"));
    ByteBuffer buffer = ByteBuffer.allocateDirect(64);
    m.write(original, buffer);
    buffer.flip();
    BytesValue parsed = m.parse(buffer);
    buffer.clear();
    buffer.put(new byte[64]); // the transport reuses its buffer
    assertEquals(original, parsed);
  }

  @Test
  void bytesFieldsShareAnOwnedArrayInsteadOfCopyingIt() throws IOException {
    ProtoMarshaller<BytesValue> m = ProtoMarshaller.of(BytesValue.getDefaultInstance());
    byte[] owned = BytesValue.of(ByteString.copyFromUtf8("payload")).toByteArray();
    BytesValue parsed = m.parseOwned(owned, owned.length);
    assertEquals("payload", parsed.getValue().toStringUtf8());
    owned[owned.length - 1] = 'D'; // only the owner may do this; it shows there was no copy
    assertEquals("payloaD", parsed.getValue().toStringUtf8());
  }

  @Test
  void parsesOnlyTheOwnedArraysGivenLength() throws IOException {
    byte[] bytes = message.toByteArray();
    byte[] owned = java.util.Arrays.copyOf(bytes, bytes.length + 16);
    assertEquals(message, marshaller.parseOwned(owned, bytes.length));
    assertThrows(IOException.class, () -> marshaller.parseOwned(owned, bytes.length - 1));
  }

  @Test
  void garbageIsAnIoException() {
    ByteBuffer junk = ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
    assertThrows(IOException.class, () -> marshaller.parse(junk));
  }
}
