package dev.strand.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PercentEncodingTest {
  @Test
  void leavesPrintableAsciiAlone() {
    assertEquals("plain message: ok!", PercentEncoding.encode("plain message: ok!"));
  }

  @Test
  void encodesPercentControlAndNonAscii() {
    assertEquals("100%25 sure", PercentEncoding.encode("100% sure"));
    assertEquals("line%0Anext", PercentEncoding.encode("line\nnext"));
    assertEquals("caf%C3%A9", PercentEncoding.encode("caf\u00e9"));
  }

  @Test
  void roundTripsAnything() {
    String s = "\t\u00e9\u4e2d\ud83d\ude00 % %% end\r\n";
    assertEquals(s, PercentEncoding.decode(PercentEncoding.encode(s)));
  }

  @Test
  void keepsBrokenEscapesInsteadOfFailing() {
    assertEquals("%zz\u00e9%4", PercentEncoding.decode("%zz%C3%A9%4"));
    assertEquals("50%", PercentEncoding.decode("50%"));
  }
}
