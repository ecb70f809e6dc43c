package dev.strand;

import java.util.Objects;

/**
 * Everything the runtime needs to know about one RPC: its full name (the HTTP/2 {@code :path}
 * without the leading slash), its shape and how to marshal each direction.
 */
public final class MethodDescriptor<ReqT, RespT> {
  private final String fullName;
  private final String serviceName;
  private final String methodName;
  private final String path;
  private final MethodType type;
  private final Marshaller<ReqT> requestMarshaller;
  private final Marshaller<RespT> responseMarshaller;

  private MethodDescriptor(String fullName, MethodType type, Marshaller<ReqT> requestMarshaller,
      Marshaller<RespT> responseMarshaller) {
    int slash = fullName.lastIndexOf('/');
    if (slash <= 0 || slash == fullName.length() - 1 || fullName.startsWith("/")) {
      throw new IllegalArgumentException(
          "method name must look like 'package.Service/Method', was '" + fullName + "'");
    }
    this.fullName = fullName;
    this.serviceName = fullName.substring(0, slash);
    this.methodName = fullName.substring(slash + 1);
    this.path = "/" + fullName;
    this.type = Objects.requireNonNull(type, "type");
    this.requestMarshaller = Objects.requireNonNull(requestMarshaller, "requestMarshaller");
    this.responseMarshaller = Objects.requireNonNull(responseMarshaller, "responseMarshaller");
  }

  public static <ReqT, RespT> MethodDescriptor<ReqT, RespT> of(MethodType type, String fullName,
      Marshaller<ReqT> requestMarshaller, Marshaller<RespT> responseMarshaller) {
    return new MethodDescriptor<>(fullName, type, requestMarshaller, responseMarshaller);
  }

  public static String fullName(String serviceName, String methodName) {
    return serviceName + "/" + methodName;
  }

  /** {@code package.Service/Method}. */
  public String fullName() {
    return fullName;
  }

  /** {@code /package.Service/Method}, as sent in {@code :path}. */
  public String path() {
    return path;
  }

  public String serviceName() {
    return serviceName;
  }

  public String methodName() {
    return methodName;
  }

  public MethodType type() {
    return type;
  }

  public Marshaller<ReqT> requestMarshaller() {
    return requestMarshaller;
  }

  public Marshaller<RespT> responseMarshaller() {
    return responseMarshaller;
  }

  @Override
  public String toString() {
    return fullName + " (" + type + ")";
  }
}
