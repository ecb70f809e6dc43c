package dev.strand.server;

import dev.strand.MethodDescriptor;
import java.util.Objects;

/** One method of a service: what it is and what serves it. */
public record ServerMethod<ReqT, RespT>(
    MethodDescriptor<ReqT, RespT> descriptor, ServerCallHandler<ReqT, RespT> handler) {
  public ServerMethod {
    Objects.requireNonNull(descriptor, "descriptor");
    Objects.requireNonNull(handler, "handler");
  }

  public ServerMethod<ReqT, RespT> withHandler(ServerCallHandler<ReqT, RespT> newHandler) {
    return new ServerMethod<>(descriptor, newHandler);
  }
}
