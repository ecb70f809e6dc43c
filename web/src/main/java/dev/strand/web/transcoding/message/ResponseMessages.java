package dev.strand.web.transcoding.message;

import com.google.gson.JsonElement;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.strand.web.transcoding.rules.HttpBinding;
import java.nio.charset.StandardCharsets;

/**
 * A method's response message as the HTTP body: ProtoJSON (lowerCamelCase names, int64 as strings,
 * enums by name, default values left out), only the {@code response_body} field's value where the
 * rule names one, and raw bytes with their own content type for {@code google.api.HttpBody}.
 */
public final class ResponseMessages {
  public static final String JSON = "application/json";

  private final JsonFormat.Printer printer;

  public ResponseMessages(JsonFormat.TypeRegistry types) {
    this.printer = JsonFormat.printer().omittingInsignificantWhitespace().usingTypeRegistry(types);
  }

  /** An HTTP body and its content type. */
  public record Body(String contentType, byte[] bytes) {}

  /** The body for one response message in its binary form. */
  public Body render(HttpBinding binding, byte[] message) throws InvalidProtocolBufferException {
    Descriptor type = binding.proto().getOutputType();
    DynamicMessage response = DynamicMessage.parseFrom(type, message);
    FieldDescriptor only = binding.responseBody();
    if (only == null) {
      return type.getFullName().equals("google.api.HttpBody") ? raw(response) : json(response);
    }
    if (only.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !only.isRepeated()) {
      DynamicMessage value = (DynamicMessage) response.getField(only);
      return only.getMessageType().getFullName().equals("google.api.HttpBody")
          ? raw(value)
          : json(value);
    }
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

  private Body json(DynamicMessage message) throws InvalidProtocolBufferException {
    return new Body(JSON, printer.print(message).getBytes(StandardCharsets.UTF_8));
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
