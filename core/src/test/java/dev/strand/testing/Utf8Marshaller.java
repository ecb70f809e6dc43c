package dev.strand.testing;

import dev.strand.Marshaller;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Strings as UTF-8: the simplest marshaller, for tests that are about the protocol. */
public final class Utf8Marshaller implements Marshaller<String> {
  public static final Utf8Marshaller INSTANCE = new Utf8Marshaller();

  @Override
  public int sizeOf(String value) {
    return value.getBytes(StandardCharsets.UTF_8).length;
  }

  @Override
  public void write(String value, ByteBuffer target) {
    target.put(value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String parse(ByteBuffer source) {
    byte[] bytes = new byte[source.remaining()];
    source.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public String parse(InputStream source) throws IOException {
    return new String(source.readAllBytes(), StandardCharsets.UTF_8);
  }
}
