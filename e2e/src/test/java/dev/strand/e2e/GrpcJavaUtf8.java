package dev.strand.e2e;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** UTF-8 strings as grpc-java messages, for grpc-java peers of Strand's Utf8Marshaller services. */
public final class GrpcJavaUtf8 {
  private GrpcJavaUtf8() {}

  public static final io.grpc.MethodDescriptor.Marshaller<String> MARSHALLER =
      new io.grpc.MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
          return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };
}
