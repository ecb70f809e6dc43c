package dev.strand.web.connect;

import com.google.protobuf.DescriptorProtos.MethodOptions.IdempotencyLevel;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.strand.protobuf.ProtoServiceSchema;
import dev.strand.protobuf.json.JsonFormats;
import dev.strand.server.ServerMethod;
import dev.strand.server.ServerSettings;
import dev.strand.server.ServiceDefinition;
import java.util.HashMap;
import java.util.Map;

/**
 * What Connect needs to know of each method of a server, worked out once when the server is built:
 * its JSON format (null when its messages are not protobuf {@code Message}s) and whether it is
 * declared free of side effects ({@code idempotency_level = NO_SIDE_EFFECTS}), which is what lets
 * it be called with GET.
 */
final class ConnectMethods {
  /**
   * {@code proto}: the binary format, its parse failures {@code invalid_argument}; {@code json}:
   * null when the messages are not protobuf {@code Message}s.
   */
  record Info(
      ServerMethod<?, ?> method,
      dev.strand.MethodDescriptor.Format<?, ?> proto,
      dev.strand.MethodDescriptor.Format<?, ?> json,
      boolean noSideEffects) {}

  private final Map<String, Info> byPath = new HashMap<>();

  ConnectMethods(ServerSettings settings) {
    Map<String, Boolean> sideEffectFree = new HashMap<>();
    for (ServiceDefinition service : settings.services()) {
      if (service.schemaDescriptor() instanceof ProtoServiceSchema schema) {
        ServiceDescriptor descriptor = schema.service();
        if (descriptor == null) {
          continue;
        }
        for (MethodDescriptor method : descriptor.getMethods()) {
          sideEffectFree.put(
              descriptor.getFullName() + "/" + method.getName(),
              method.getOptions().getIdempotencyLevel() == IdempotencyLevel.NO_SIDE_EFFECTS);
        }
      }
    }
    for (Map.Entry<String, ServerMethod<?, ?>> entry : settings.methods().entrySet()) {
      ServerMethod<?, ?> method = entry.getValue();
      byPath.put(
          "/" + entry.getKey(),
          new Info(
              method,
              binaryFormat(method.descriptor()),
              JsonFormats.of(method.descriptor()),
              sideEffectFree.getOrDefault(entry.getKey(), false)));
    }
  }

  private static <ReqT, RespT> dev.strand.MethodDescriptor.Format<ReqT, RespT> binaryFormat(
      dev.strand.MethodDescriptor<ReqT, RespT> method) {
    return new dev.strand.MethodDescriptor.Format<>(
        dev.strand.MethodDescriptor.PROTO,
        new ClientErrorMarshaller<>(method.requestMarshaller()),
        method.responseMarshaller());
  }

  /** The method at this path (no query), or null. */
  Info at(CharSequence path) {
    return path == null ? null : byPath.get(path.toString());
  }
}
