package dev.strand.protobuf;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import dev.strand.Marshaller;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Marshals protobuf messages without intermediate byte arrays: it serializes straight into the
 * transport's buffer (after the 5-byte prefix) and parses straight from the transport's buffers.
 */
public final class ProtoMarshaller<T extends MessageLite> implements Marshaller<T> {
  private final Parser<T> parser;
  private final T defaultInstance;

  private ProtoMarshaller(T defaultInstance) {
    this.defaultInstance = defaultInstance;
    @SuppressWarnings("unchecked")
    Parser<T> p = (Parser<T>) defaultInstance.getParserForType();
    this.parser = p;
  }

  /** A marshaller for the message type of {@code defaultInstance}. */
  public static <T extends MessageLite> ProtoMarshaller<T> of(T defaultInstance) {
    return new ProtoMarshaller<>(defaultInstance);
  }

  public T defaultInstance() {
    return defaultInstance;
  }

  @Override
  public int sizeOf(T value) {
    return value.getSerializedSize();
  }

  @Override
  public void write(T value, ByteBuffer target) throws IOException {
    CodedOutputStream out = CodedOutputStream.newInstance(target);
    value.writeTo(out);
    // flush() moves the buffer's position past what was written.
    out.flush();
  }

  @Override
  public T parse(ByteBuffer source) throws IOException {
    // The buffer is released right after parsing, so bytes fields must be copied, not aliased
    // (the default).
    return parseWhole(inputOf(source));
  }

  /**
   * Bytes fields of the result are slices of {@code source}, not copies. So a bytes field kept
   * after its message is dropped keeps the whole array alive: copy it if it is small and
   * long-lived.
   */
  @Override
  public T parseOwned(byte[] source, int length) throws IOException {
    // Aliasing needs a source protobuf knows to be immutable, which a wrapped ByteString is.
    CodedInputStream in = UnsafeByteOperations.unsafeWrap(source, 0, length).newCodedInput();
    in.enableAliasing(true);
    return parseWhole(in);
  }

  /** Heap buffers are parsed in place; protobuf-java copies a direct one into an array. */
  private static CodedInputStream inputOf(ByteBuffer source) {
    return source.hasArray()
        ? CodedInputStream.newInstance(
            source.array(), source.arrayOffset() + source.position(), source.remaining())
        : CodedInputStream.newInstance(source);
  }

  @Override
  public T parse(InputStream source) throws IOException {
    return parseWhole(CodedInputStream.newInstance(source));
  }

  /**
   * Parses to the end of the input with no size limit of protobuf's own (its default: the transport
   * has already enforced the call's); a message missing required fields is rejected.
   */
  private T parseWhole(CodedInputStream in) throws IOException {
    T message = parser.parseFrom(in, ExtensionRegistryLite.getEmptyRegistry());
    if (!message.isInitialized()) {
      throw new InvalidProtocolBufferException("message is missing required fields")
          .setUnfinishedMessage(message);
    }
    return message;
  }
}
