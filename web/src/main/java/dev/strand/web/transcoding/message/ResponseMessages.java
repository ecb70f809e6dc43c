package dev.strand.web.transcoding.message;

import com.google.gson.JsonElement;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import com.google.protobuf.util.JsonFormat;
import dev.strand.protobuf.json.ProtoJsonWriter;
import dev.strand.web.transcoding.rules.HttpBinding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A method's response message as the HTTP body: ProtoJSON (lowerCamelCase names, int64 as strings,
 * enums by name, default values left out), only the {@code response_body} field's value where the
 * rule names one, and raw bytes with their own content type for {@code google.api.HttpBody}.
 *
 * <p>A message (the whole response, or a message-valued {@code response_body}) goes from its wire
 * bytes straight to JSON through a {@link ProtoJsonWriter} made once per type, which prints what
 * JsonFormat prints without building a DynamicMessage.
 */
public final class ResponseMessages {
  public static final String JSON = "application/json";

  private static final String HTTP_BODY = "google.api.HttpBody";

  private final JsonFormat.TypeRegistry types;
  private final JsonFormat.Printer printer;

  /** One writer per response type (and response_body type), made on first use. */
  private final Map<Descriptor, ProtoJsonWriter> writers = new ConcurrentHashMap<>();

  public ResponseMessages(JsonFormat.TypeRegistry types) {
    this.types = types;
    this.printer = JsonFormat.printer().omittingInsignificantWhitespace().usingTypeRegistry(types);
  }

  /** An HTTP body and its content type. */
  public record Body(String contentType, byte[] bytes) {}

  /** The body for one response message in its binary form. */
  public Body render(HttpBinding binding, byte[] message) throws InvalidProtocolBufferException {
    Descriptor type = binding.proto().getOutputType();
    FieldDescriptor only = binding.responseBody();
    if (only == null) {
      return type.getFullName().equals(HTTP_BODY)
          ? raw(DynamicMessage.parseFrom(type, message))
          : json(type, message);
    }
    if (only.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !only.isRepeated()) {
      Descriptor valueType = only.getMessageType();
      byte[] value = singleOccurrence(message, only.getNumber());
      if (value == null) {
        // Given more than once, the occurrences merge: DynamicMessage does that.
        DynamicMessage merged =
            (DynamicMessage) DynamicMessage.parseFrom(type, message).getField(only);
        value = merged.toByteArray();
      }
      return valueType.getFullName().equals(HTTP_BODY)
          ? raw(DynamicMessage.parseFrom(valueType, value))
          : json(valueType, value);
    }
    DynamicMessage response = DynamicMessage.parseFrom(type, message);
    // A scalar or repeated field: its JSON value, as it stands in the whole message's JSON.
    DynamicMessage alone =
        DynamicMessage.newBuilder(type).setField(only, response.getField(only)).build();
    String whole = printer.includingDefaultValueFields().print(alone);
    JsonElement value;
    try {
      value = StrictJson.parse(whole).getAsJsonObject().get(only.getJsonName());
    } catch (BadRequestException e) {
      throw new IllegalStateException("ProtoJSON printed what does not parse: " + whole, e);
    }
    return new Body(JSON, value.toString().getBytes(StandardCharsets.UTF_8));
  }

  private Body json(Descriptor type, byte[] message) throws InvalidProtocolBufferException {
    ProtoJsonWriter writer = writers.computeIfAbsent(type, t -> ProtoJsonWriter.forType(t, types));
    return new Body(JSON, writer.write(message));
  }

  /**
   * The bytes of a length-delimited field that occurs once in the message (empty if it does not
   * occur), or null if it occurs more than once. The rest of the message is skipped over, not
   * parsed.
   */
  private static byte[] singleOccurrence(byte[] message, int number)
      throws InvalidProtocolBufferException {
    CodedInputStream in = CodedInputStream.newInstance(message);
    byte[] found = null;
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) == number
            && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          if (found != null) {
            return null;
          }
          found = in.readByteArray();
        } else if (!in.skipField(tag)) {
          break;
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
    return found == null ? new byte[0] : found;
  }

  private static Body raw(DynamicMessage httpBody) {
    Descriptor type = httpBody.getDescriptorForType();
    String contentType = (String) httpBody.getField(type.findFieldByName("content_type"));
    ByteString data = (ByteString) httpBody.getField(type.findFieldByName("data"));
    return new Body(
        contentType.isEmpty() ? "application/octet-stream" : contentType, data.toByteArray());
  }

  /** ProtoJSON of any message (the error body's google.rpc.Status). */
  public String print(com.google.protobuf.MessageOrBuilder message)
      throws InvalidProtocolBufferException {
    return printer.print(message);
  }
}
