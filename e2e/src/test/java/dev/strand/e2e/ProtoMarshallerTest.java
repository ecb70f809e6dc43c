package dev.strand.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.protobuf.ProtoMarshaller;
import io.grpc.testing.integration.Messages.SimpleRequest;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The contract the transport relies on (Marshaller.write: "writes exactly sizeOf bytes at the
 * buffer's position"), checked for ProtoMarshaller on the two kinds of buffer the transport hands
 * it: direct (framing) and heap (compression).
 */
class ProtoMarshallerTest {
  private static final SimpleRequest MESSAGE = Requests.unary(100, 7);
  private static final ProtoMarshaller<SimpleRequest> MARSHALLER =
      ProtoMarshaller.of(SimpleRequest.getDefaultInstance());

  @Test
  void writeAdvancesDirectBufferBySizeOf() throws Exception {
    assertWritesExactly(ByteBuffer.allocateDirect(MARSHALLER.sizeOf(MESSAGE)));
  }

  @Test
  void writeAdvancesHeapBufferBySizeOf() throws Exception {
    assertWritesExactly(ByteBuffer.allocate(MARSHALLER.sizeOf(MESSAGE)));
  }

  @Test
  void writeAtNonZeroPositionRoundTrips() throws Exception {
    int size = MARSHALLER.sizeOf(MESSAGE);
    ByteBuffer buf = ByteBuffer.allocateDirect(5 + size);
    buf.position(5);
    MARSHALLER.write(MESSAGE, buf);
    assertEquals(5 + size, buf.position());
    buf.position(5);
    assertEquals(MESSAGE, MARSHALLER.parse(buf));
  }

  private static void assertWritesExactly(ByteBuffer target) throws Exception {
    int size = MARSHALLER.sizeOf(MESSAGE);
    MARSHALLER.write(MESSAGE, target);
    assertEquals(size, target.position(), "position after write");
    target.flip();
    assertEquals(MESSAGE, MARSHALLER.parse(target));
  }
}
