package dev.strand.protobuf.json;

import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import dev.strand.Marshaller;
import dev.strand.MethodDescriptor;
import dev.strand.protobuf.ProtoMarshaller;

/** A method's messages as JSON, for the protocols that serve JSON (Connect, transcoding). */
public final class JsonFormats {
  /** The format's name: the subtype of {@code application/json}. */
  public static final String JSON = "json";

  private JsonFormats() {}

  /**
   * The method's JSON format: the one its descriptor carries ({@link MethodDescriptor#withFormat}),
   * else one made from its binary marshallers when both are {@link ProtoMarshaller}s of full {@link
   * Message}s (lite messages have no descriptors, so no JSON). Null when there is neither. Made
   * once per method, when a server is built: the printers and parsers are reused.
   */
  public static <ReqT, RespT> MethodDescriptor.Format<ReqT, RespT> of(
      MethodDescriptor<ReqT, RespT> method) {
    MethodDescriptor.Format<ReqT, RespT> declared = method.format(JSON);
    if (declared != null) {
      return declared;
    }
    Marshaller<ReqT> request = jsonOf(method.requestMarshaller());
    Marshaller<RespT> response = jsonOf(method.responseMarshaller());
    if (request == null || response == null) {
      return null;
    }
    return new MethodDescriptor.Format<>(JSON, request, response);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <T> Marshaller<T> jsonOf(Marshaller<T> binary) {
    if (binary instanceof ProtoMarshaller<?> proto) {
      MessageLite instance = proto.defaultInstance();
      if (instance instanceof Message message) {
        return (Marshaller<T>) (Marshaller) ProtoJsonMarshaller.of(message);
      }
    }
    return null;
  }
}
