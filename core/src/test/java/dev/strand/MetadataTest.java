package dev.strand;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataTest {
  @Test
  void keepsSeveralValuesPerKeyInOrder() {
    Metadata md = new Metadata().add("x-a", "1").add("X-A", "2").add("x-b", "3");
    assertEquals(List.of("1", "2"), md.getAll("x-a"));
    assertEquals("2", md.get("x-a"));
    assertEquals(3, md.size());
  }

  @Test
  void binaryValuesAreCopied() {
    byte[] value = {1, 2, 3};
    Metadata md = new Metadata().addBinary("x-bin", value);
    value[0] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, md.getBinary("x-bin"));
  }

  @Test
  void rejectsBadKeysAndValues() {
    Metadata md = new Metadata();
    assertThrows(IllegalArgumentException.class, () -> md.add("bad key", "v"));
    assertThrows(IllegalArgumentException.class, () -> md.add("x-bin", "v"));
    assertThrows(IllegalArgumentException.class, () -> md.addBinary("x-text", new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> md.add("x-a", "caf\u00e9"));
    assertThrows(IllegalArgumentException.class, () -> md.add("x-a", "a\nb"));
  }

  @Test
  void removeAndPut() {
    Metadata md = new Metadata().add("x-a", "1").add("x-a", "2");
    md.put("x-a", "3");
    assertEquals(List.of("3"), md.getAll("x-a"));
    md.remove("x-a");
    assertNull(md.get("x-a"));
  }
}
