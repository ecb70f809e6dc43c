package dev.strand.web.grpcweb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrailerFrameTest {
  @Test
  void trailersAreHttp1HeaderLinesInAFlaggedFrame() {
    ByteBuf frame =
        TrailerFrame.of(
            new DefaultHttp2Headers()
                .add("grpc-status", "3")
                .add("grpc-message", "bad%20thing")
                .add("x-detail-bin", "AQI"),
            ByteBufAllocator.DEFAULT);
    try {
      assertEquals(0x80, frame.readUnsignedByte());
      int length = frame.readInt();
      assertEquals(frame.readableBytes(), length);
      assertEquals(
          "grpc-status:3\r\ngrpc-message:bad%20thing\r\nx-detail-bin:AQI\r\n",
          frame.toString(StandardCharsets.ISO_8859_1));
    } finally {
      frame.release();
    }
  }
}
