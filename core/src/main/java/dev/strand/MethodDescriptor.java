package dev.strand;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Everything the runtime needs to know about one RPC: its full name (the HTTP/2 {@code :path}
 * without the leading slash), its shape and how to marshal each direction.
 *
 * <p>A method may have messages in more than one format: the binary one gRPC sends (named {@value
 * #PROTO}), and others that protocols other than gRPC ask for by name, such as {@code "json"} for
 * Connect and HTTP/JSON transcoding. A format is named as the subtype of the content types that
 * carry it ({@code application/grpc+proto}, {@code application/json}).
 */
public final class MethodDescriptor<ReqT, RespT> {
  /** The name of the binary format, the one {@link #requestMarshaller()} gives. */
  public static final String PROTO = "proto";

  private final String fullName;
  private final String serviceName;
  private final String methodName;
  private final String path;
  private final MethodType type;
  private final Marshaller<ReqT> requestMarshaller;
  private final Marshaller<RespT> responseMarshaller;

  /** The binary format first; each name once. */
  private final List<Format<ReqT, RespT>> formats;

  /** A method's messages in one format: a marshaller for each direction. */
  public record Format<ReqT, RespT>(
      String name, Marshaller<ReqT> request, Marshaller<RespT> response) {
    public Format {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(response, "response");
    }
  }

  private MethodDescriptor(
      String fullName,
      MethodType type,
      Marshaller<ReqT> requestMarshaller,
      Marshaller<RespT> responseMarshaller) {
    this(
        fullName,
        type,
        List.of(
            new Format<>(
                PROTO,
                Objects.requireNonNull(requestMarshaller, "requestMarshaller"),
                Objects.requireNonNull(responseMarshaller, "responseMarshaller"))));
  }

  private MethodDescriptor(String fullName, MethodType type, List<Format<ReqT, RespT>> formats) {
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
    this.formats = formats;
    this.requestMarshaller = formats.get(0).request();
    this.responseMarshaller = formats.get(0).response();
  }

  public static <ReqT, RespT> MethodDescriptor<ReqT, RespT> of(
      MethodType type,
      String fullName,
      Marshaller<ReqT> requestMarshaller,
      Marshaller<RespT> responseMarshaller) {
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

  /**
   * This method with its messages also in another format, for protocols that ask for it by name.
   * The binary format stays what {@link #requestMarshaller()} gives; a name can be added once.
   */
  public MethodDescriptor<ReqT, RespT> withFormat(
      String name, Marshaller<ReqT> request, Marshaller<RespT> response) {
    Format<ReqT, RespT> added = new Format<>(name, request, response);
    if (format(name) != null) {
      throw new IllegalArgumentException(fullName + " already has a format named '" + name + "'");
    }
    List<Format<ReqT, RespT>> more = new ArrayList<>(formats);
    more.add(added);
    return new MethodDescriptor<>(fullName, type, Collections.unmodifiableList(more));
  }

  /** The format with this name ({@value #PROTO} is the binary one), or null if it has none. */
  public Format<ReqT, RespT> format(String name) {
    for (Format<ReqT, RespT> format : formats) {
      if (format.name().equals(name)) {
        return format;
      }
    }
    return null;
  }

  /** Every format of this method, the binary one first. */
  public List<Format<ReqT, RespT>> formats() {
    return formats;
  }

  @Override
  public String toString() {
    return fullName + " (" + type + ")";
  }
}
