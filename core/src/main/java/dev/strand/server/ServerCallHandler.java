package dev.strand.server;

import dev.strand.Metadata;

/** Starts serving one call; returns the listener that will receive its events. */
@FunctionalInterface
public interface ServerCallHandler<ReqT, RespT> {
  ServerCall.Listener<ReqT> startCall(ServerCall<ReqT, RespT> call, Metadata headers);
}
