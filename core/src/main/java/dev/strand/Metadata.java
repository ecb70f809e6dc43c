package dev.strand;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Application metadata: the custom headers and trailers of a call. A key may hold several values,
 * kept in order. Keys ending in {@code -bin} hold bytes (base64 on the wire); all others hold
 * printable ASCII. Keys are lowercase, as HTTP/2 requires.
 *
 * <p>Not thread-safe: a Metadata belongs to one call step at a time.
 */
public final class Metadata {
  public static final String BINARY_SUFFIX = "-bin";

  private static final Object[] NONE = {};

  /** Key and value, alternately; allocated on the first entry (most calls carry none). */
  private Object[] entries = NONE;

  private int size;

  public Metadata() {}

  /** Adds an ASCII value. */
  public Metadata add(String key, String value) {
    String k = checkKey(key);
    if (isBinaryKey(k)) {
      throw new IllegalArgumentException("'" + k + "' is a binary key: use addBinary");
    }
    append(k, checkAscii(k, value));
    return this;
  }

  /** Adds a binary value; the key must end in {@code -bin}. */
  public Metadata addBinary(String key, byte[] value) {
    String k = checkKey(key);
    if (!isBinaryKey(k)) {
      throw new IllegalArgumentException("binary key '" + k + "' must end with -bin");
    }
    append(k, value.clone());
    return this;
  }

  /** Replaces every value of an ASCII key with one value. */
  public Metadata put(String key, String value) {
    remove(key);
    return add(key, value);
  }

  /** The last ASCII value of a key, or null; HTTP semantics favour the last one. */
  public String get(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    for (int i = size - 1; i >= 0; i--) {
      if (key(i).equals(k) && value(i) instanceof String s) {
        return s;
      }
    }
    return null;
  }

  public List<String> getAll(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (key(i).equals(k) && value(i) instanceof String s) {
        out.add(s);
      }
    }
    return out;
  }

  /** The last binary value of a key, or null. */
  public byte[] getBinary(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    for (int i = size - 1; i >= 0; i--) {
      if (key(i).equals(k) && value(i) instanceof byte[] b) {
        return b.clone();
      }
    }
    return null;
  }

  public List<byte[]> getAllBinary(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (key(i).equals(k) && value(i) instanceof byte[] b) {
        out.add(b.clone());
      }
    }
    return out;
  }

  public boolean containsKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    for (int i = 0; i < size; i++) {
      if (key(i).equals(k)) {
        return true;
      }
    }
    return false;
  }

  /** Removes every value of a key; returns whether there were any. */
  public boolean remove(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (!key(i).equals(k)) {
        entries[2 * kept] = entries[2 * i];
        entries[2 * kept + 1] = entries[2 * i + 1];
        kept++;
      }
    }
    boolean removed = kept < size;
    Arrays.fill(entries, 2 * kept, 2 * size, null);
    size = kept;
    return removed;
  }

  /** The distinct keys, in the order they first appear. */
  public Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    for (int i = 0; i < size; i++) {
      keys.add(key(i));
    }
    return Collections.unmodifiableSet(keys);
  }

  /** Appends every entry of another Metadata. */
  public Metadata merge(Metadata other) {
    for (int i = 0; i < other.size; i++) {
      Object v = other.value(i);
      append(other.key(i), v instanceof byte[] b ? b.clone() : v);
    }
    return this;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Visits every entry in order; the value is a String or a byte[] (not copied: do not modify). */
  public void forEach(EntryVisitor visitor) {
    for (int i = 0; i < size; i++) {
      visitor.visit(key(i), value(i));
    }
  }

  /** Receives one entry of a Metadata. */
  @FunctionalInterface
  public interface EntryVisitor {
    void visit(String key, Object value);
  }

  /**
   * Adds an entry as is: the key valid and lowercase, the value a String or a byte[] this takes
   * over. Also how the transport adds what it received, already validated and decoded, through
   * {@code dev.strand.internal.call.ReceivedMetadata}, which keeps this off the public API.
   */
  private void append(String key, Object value) {
    if (2 * size == entries.length) {
      entries = Arrays.copyOf(entries, Math.max(8, 2 * entries.length));
    }
    entries[2 * size] = key;
    entries[2 * size + 1] = value;
    size++;
  }

  private String key(int i) {
    return (String) entries[2 * i];
  }

  private Object value(int i) {
    return entries[2 * i + 1];
  }

  public static boolean isBinaryKey(String key) {
    return key.endsWith(BINARY_SUFFIX);
  }

  /** A legal key is 1+ characters of 0-9 a-z _ - . (uppercase is folded to lowercase). */
  public static boolean isValidKey(String key) {
    if (key == null || key.isEmpty()) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '_' || c == '-' || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String checkKey(String key) {
    String k = key == null ? null : key.toLowerCase(Locale.ROOT);
    if (!isValidKey(k)) {
      throw new IllegalArgumentException(
          "invalid metadata key '" + key + "': use 0-9 a-z _ - . only");
    }
    return k;
  }

  private static String checkAscii(String key, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException(
            "value of '"
                + key
                + "' must be printable ASCII (0x20-0x7E); use a -bin key for other bytes");
      }
    }
    return value;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Metadata(");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      Object v = value(i);
      sb.append(key(i)).append('=').append(v instanceof byte[] b ? Arrays.toString(b) : v);
    }
    return sb.append(')').toString();
  }
}
