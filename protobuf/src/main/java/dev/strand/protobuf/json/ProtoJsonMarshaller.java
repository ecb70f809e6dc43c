package dev.strand.protobuf.json;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.strand.Marshaller;
import dev.strand.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Protobuf messages as ProtoJSON (PROTOJSON.md), for Connect's {@code application/json} and
 * HTTP/JSON transcoding, on protobuf-java-util's {@link JsonFormat}: fields by their lowerCamelCase
 * JSON names on output (proto names are accepted on input too), 64-bit integers as strings, enums
 * by name, the well-known types in their special forms, {@code Any} resolved through a {@link
 * JsonFormat.TypeRegistry}. Output is compact (no insignificant whitespace) and omits fields at
 * their default value, as the mapping allows.
 *
 * <p>A request that is not valid JSON for the message fails with an {@link IOException} whose cause
 * is an {@code INVALID_ARGUMENT} status naming the problem: the transport sends that status rather
 * than gRPC's INTERNAL for an unparsable message, because bad JSON is the client's mistake.
 *
 * <p>{@link Marshaller} asks for the exact size before the write, so a message is printed once and
 * its bytes kept for the {@link #write} that follows on the same thread. A message whose type takes
 * {@link ProtoJsonWriter}'s fast path is serialized and written from its wire bytes, which gives
 * JsonFormat's bytes many times faster (ProtoJsonBenchmark); the others are printed by JsonFormat.
 */
public final class ProtoJsonMarshaller<T extends Message> implements Marshaller<T> {
  private final T defaultInstance;
  private final JsonFormat.Printer printer;
  private final ProtoJsonWriter writer;
  private final JsonFormat.Parser parser;

  /** The last message sized on this thread and its JSON, for the write that follows. */
  private final ThreadLocal<Printed> lastPrinted = new ThreadLocal<>();

  private record Printed(Object message, byte[] json) {}

  private ProtoJsonMarshaller(T defaultInstance, JsonFormat.TypeRegistry types, boolean strict) {
    this.defaultInstance = defaultInstance;
    this.printer = JsonFormat.printer().omittingInsignificantWhitespace().usingTypeRegistry(types);
    this.writer = ProtoJsonWriter.forType(defaultInstance.getDescriptorForType(), types);
    JsonFormat.Parser p = JsonFormat.parser().usingTypeRegistry(types);
    this.parser = strict ? p : p.ignoringUnknownFields();
  }

  /**
   * A marshaller for the message type of {@code defaultInstance} that ignores unknown fields on
   * input (as connect-go does, so that old servers take new clients' messages), with the message's
   * own file (and those it imports) as the types an {@code Any} may hold.
   */
  public static <T extends Message> ProtoJsonMarshaller<T> of(T defaultInstance) {
    // The registry takes the message's file and, transitively, every file it imports.
    return of(
        defaultInstance,
        JsonFormat.TypeRegistry.newBuilder().add(defaultInstance.getDescriptorForType()).build());
  }

  /** As {@link #of(Message)}, with these types for {@code Any}. */
  public static <T extends Message> ProtoJsonMarshaller<T> of(
      T defaultInstance, JsonFormat.TypeRegistry types) {
    return new ProtoJsonMarshaller<>(defaultInstance, types, false);
  }

  /**
   * As {@link #of(Message, JsonFormat.TypeRegistry)}, but a field the message lacks is an error.
   */
  public static <T extends Message> ProtoJsonMarshaller<T> strict(
      T defaultInstance, JsonFormat.TypeRegistry types) {
    return new ProtoJsonMarshaller<>(defaultInstance, types, true);
  }

  public T defaultInstance() {
    return defaultInstance;
  }

  /** The message as JSON text. */
  public String print(T value) throws IOException {
    return printer.print(value);
  }

  @Override
  public int sizeOf(T value) {
    byte[] json;
    try {
      json = jsonOf(value);
    } catch (InvalidProtocolBufferException e) {
      // An Any whose type is not in the registry: a server-side mistake, not the client's.
      throw new IllegalStateException(
          "cannot print " + typeName() + " as JSON: " + e.getMessage(), e);
    }
    lastPrinted.set(new Printed(value, json));
    return json.length;
  }

  @Override
  public void write(T value, ByteBuffer target) throws IOException {
    Printed printed = lastPrinted.get();
    lastPrinted.remove();
    byte[] json = printed != null && printed.message() == value ? printed.json() : jsonOf(value);
    target.put(json);
  }

  private byte[] jsonOf(T value) throws InvalidProtocolBufferException {
    return writer.fastPathForType()
        ? writer.write(value.toByteArray())
        : printer.print(value).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public T parse(ByteBuffer source) throws IOException {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(source)
              .toString();
    } catch (CharacterCodingException e) {
      throw invalid("request is not UTF-8", e);
    }
    return parse(text);
  }

  @Override
  public T parse(InputStream source) throws IOException {
    StringBuilder text = new StringBuilder();
    char[] chunk = new char[8192];
    try (InputStreamReader reader =
        new InputStreamReader(
            source,
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT))) {
      for (int n = reader.read(chunk); n >= 0; n = reader.read(chunk)) {
        text.append(chunk, 0, n);
      }
    } catch (CharacterCodingException e) {
      throw invalid("request is not UTF-8", e);
    }
    return parse(text.toString());
  }

  /** Parses JSON text; bad input fails naming the problem (INVALID_ARGUMENT as the cause). */
  public T parse(String json) throws IOException {
    Message.Builder builder = defaultInstance.newBuilderForType();
    try {
      parser.merge(json, builder);
    } catch (InvalidProtocolBufferException e) {
      throw invalid(e.getMessage(), e);
    } catch (RuntimeException e) {
      // JsonFormat lets some of gson's exceptions (deep nesting, say) through unwrapped.
      throw invalid(String.valueOf(e.getMessage()), e);
    }
    @SuppressWarnings("unchecked")
    T message = (T) builder.build();
    return message;
  }

  private IOException invalid(String problem, Exception cause) {
    String description = "invalid JSON for " + typeName() + ": " + problem;
    return new IOException(
        description,
        Status.INVALID_ARGUMENT.withDescription(description).withCause(cause).asException());
  }

  private String typeName() {
    return defaultInstance.getDescriptorForType().getFullName();
  }
}
