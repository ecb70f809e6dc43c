package dev.strand.client;

import dev.strand.MethodDescriptor;

/** Where calls are made: a connection (or a pool of them) to one target. */
public interface Channel {

  <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options);

  /** The {@code :authority} calls carry. */
  String authority();

  /**
   * Starts building a channel to {@code host:port}, {@code [ipv6]:port} or {@code
   * dns:///host:port}.
   */
  static ChannelBuilder to(String target) {
    return new ChannelBuilder(target);
  }

  static ChannelBuilder to(String host, int port) {
    return new ChannelBuilder(
        host.contains(":") && !host.startsWith("[") ? "[" + host + "]:" + port : host + ":" + port);
  }
}
