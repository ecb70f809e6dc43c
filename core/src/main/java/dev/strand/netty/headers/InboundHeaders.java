package dev.strand.netty.headers;

import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A received header block, as HPACK decoded it: pseudo-headers in fields, the rest in one array in
 * arrival order. Netty's general-purpose {@code DefaultHttp2Headers} hashes every entry into
 * buckets and allocates an entry object per header; a gRPC call reads a handful of names once, so a
 * flat array scanned linearly is cheaper. Names and values are validated on the way in ({@link
 * HeaderValidator}), so a malformed block fails the stream just as it would in Netty.
 *
 * <p>Only the operations Netty's decoder and Strand use are supported; the block is otherwise
 * read-only ({@link ReadOnlyHeaders}).
 */
public final class InboundHeaders extends ReadOnlyHeaders {
  private static final AsciiString CONTENT_LENGTH = AsciiString.cached("content-length");
  private static final int METHOD = 0;
  private static final int SCHEME = 1;
  private static final int AUTHORITY = 2;
  private static final int PATH = 3;
  private static final int STATUS = 4;
  private static final int PROTOCOL = 5;
  private static final AsciiString[] PSEUDO_NAMES = {
    AsciiString.cached(":method"), AsciiString.cached(":scheme"),
    AsciiString.cached(":authority"), AsciiString.cached(":path"),
    AsciiString.cached(":status"), AsciiString.cached(":protocol")
  };

  private final HeaderValidator validator;
  private AsciiString method;
  private AsciiString scheme;
  private AsciiString authority;
  private AsciiString path;
  private AsciiString status;
  private AsciiString protocol;
  private int pseudoCount;

  /** Regular headers as name, value, name, value, ... */
  private AsciiString[] entries;

  private int entryCount;

  InboundHeaders(HeaderValidator validator, int expectedRegular) {
    this.validator = validator;
    this.entries = new AsciiString[Math.max(4, expectedRegular) * 2];
  }

  @Override
  public Http2Headers add(CharSequence name, CharSequence value) {
    AsciiString n = AsciiString.of(name);
    AsciiString v = AsciiString.of(value);
    validator.checkValue(n, v);
    if (n.length() > 0 && n.byteAt(0) == ':') {
      addPseudo(n, v);
    } else {
      validator.checkName(n);
      addRegular(n, v);
    }
    return this;
  }

  private void addPseudo(AsciiString name, AsciiString value) {
    switch (slotOf(name)) {
      case METHOD -> method = once(name, method, value);
      case SCHEME -> scheme = once(name, scheme, value);
      case AUTHORITY -> authority = once(name, authority, value);
      case PATH -> path = once(name, path, value);
      case STATUS -> status = once(name, status, value);
      case PROTOCOL -> protocol = once(name, protocol, value);
      default -> throw new IllegalArgumentException("unknown pseudo-header '" + name + "'");
    }
    pseudoCount++;
  }

  /** Which pseudo-header a name is, by length and a letter, then confirmed; -1 if none. */
  private static int slotOf(CharSequence name) {
    int slot =
        switch (name.length()) {
          case 5 -> PATH;
          case 7 ->
              switch (name.charAt(1)) {
                case 'm' -> METHOD;
                case 's' -> name.charAt(2) == 'c' ? SCHEME : STATUS;
                default -> -1;
              };
          case 9 -> PROTOCOL;
          case 10 -> AUTHORITY;
          default -> -1;
        };
    return slot >= 0 && AsciiString.contentEquals(PSEUDO_NAMES[slot], name) ? slot : -1;
  }

  private static AsciiString once(AsciiString name, AsciiString previous, AsciiString value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("pseudo-header '" + name + "' is empty");
    }
    if (previous != null) {
      throw new IllegalArgumentException("pseudo-header '" + name + "' appears twice");
    }
    return value;
  }

  private void addRegular(AsciiString name, AsciiString value) {
    if (entryCount * 2 == entries.length) {
      AsciiString[] grown = new AsciiString[entries.length * 2];
      System.arraycopy(entries, 0, grown, 0, entries.length);
      entries = grown;
    }
    entries[entryCount * 2] = name;
    entries[entryCount * 2 + 1] = value;
    entryCount++;
  }

  /** Number of regular (non-pseudo) headers. */
  int regularCount() {
    return entryCount;
  }

  AsciiString regularName(int i) {
    return entries[i * 2];
  }

  AsciiString regularValue(int i) {
    return entries[i * 2 + 1];
  }

  @Override
  public CharSequence get(CharSequence name) {
    if (name.length() > 0 && name.charAt(0) == ':') {
      return pseudo(name);
    }
    for (int i = 0; i < entryCount; i++) {
      if (entries[i * 2].contentEquals(name)) {
        return entries[i * 2 + 1];
      }
    }
    return null;
  }

  private AsciiString pseudo(CharSequence name) {
    int slot = slotOf(name);
    return slot < 0 ? null : pseudo(slot);
  }

  private AsciiString pseudo(int slot) {
    return switch (slot) {
      case METHOD -> method;
      case SCHEME -> scheme;
      case AUTHORITY -> authority;
      case PATH -> path;
      case STATUS -> status;
      case PROTOCOL -> protocol;
      default -> null;
    };
  }

  @Override
  public List<CharSequence> getAll(CharSequence name) {
    if (name.length() > 0 && name.charAt(0) == ':') {
      CharSequence value = pseudo(name);
      return value == null ? Collections.emptyList() : Collections.singletonList(value);
    }
    List<CharSequence> values = null;
    for (int i = 0; i < entryCount; i++) {
      if (entries[i * 2].contentEquals(name)) {
        if (values == null) {
          values = new ArrayList<>(2);
        }
        values.add(entries[i * 2 + 1]);
      }
    }
    return values == null ? Collections.emptyList() : values;
  }

  /** Netty's decoder rewrites a valid content-length in its normal form; nothing else is set. */
  @Override
  public Http2Headers setLong(CharSequence name, long value) {
    if (!CONTENT_LENGTH.contentEquals(name)) {
      throw readOnly();
    }
    int kept = 0;
    for (int i = 0; i < entryCount; i++) {
      if (!entries[i * 2].contentEquals(name)) {
        entries[kept * 2] = entries[i * 2];
        entries[kept * 2 + 1] = entries[i * 2 + 1];
        kept++;
      }
    }
    entryCount = kept;
    addRegular(CONTENT_LENGTH, AsciiString.of(Long.toString(value)));
    return this;
  }

  @Override
  public int size() {
    return pseudoCount + entryCount;
  }

  @Override
  public Iterator<Map.Entry<CharSequence, CharSequence>> iterator() {
    return new EntryIterator();
  }

  @Override
  public CharSequence method() {
    return method;
  }

  @Override
  public CharSequence scheme() {
    return scheme;
  }

  @Override
  public CharSequence authority() {
    return authority;
  }

  @Override
  public CharSequence path() {
    return path;
  }

  @Override
  public CharSequence status() {
    return status;
  }

  /** Pseudo-headers first, in a fixed order, then the regular headers as they arrived. */
  private final class EntryIterator implements Iterator<Map.Entry<CharSequence, CharSequence>> {
    private int pseudoSlot;
    private int regularIndex;

    @Override
    public boolean hasNext() {
      while (pseudoSlot < PSEUDO_NAMES.length && pseudo(pseudoSlot) == null) {
        pseudoSlot++;
      }
      return pseudoSlot < PSEUDO_NAMES.length || regularIndex < entryCount;
    }

    @Override
    public Map.Entry<CharSequence, CharSequence> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      if (pseudoSlot < PSEUDO_NAMES.length) {
        int slot = pseudoSlot++;
        return new AbstractMap.SimpleImmutableEntry<>(PSEUDO_NAMES[slot], pseudo(slot));
      }
      int i = regularIndex++;
      return new AbstractMap.SimpleImmutableEntry<>(entries[i * 2], entries[i * 2 + 1]);
    }
  }
}
