package dev.strand.netty.stream;

/**
 * Told once per write of bytes onto a stream: when they have left the stream's flow-control queue
 * for the channel (from then on the channel's own writability holds back further writes), or that
 * they never will because the stream ended first.
 */
@FunctionalInterface
public interface DataSent {
  void onSent(int bytes, boolean success);
}
