package dev.strand.netty.headers;

import dev.strand.Metadata;
import io.netty.util.AsciiString;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A shared request block with one call's metadata after it: the header block of a call that adds
 * only metadata (a trace context, a token) to the plain one, without a new block per call holding
 * copies of the shared headers, each hashed again. The order on the wire is the full block's: the
 * shared headers, then the metadata. Read-only, as every block handed to HPACK is; the readers
 * besides HPACK's iteration (a log, a test) see the same headers through the lookups.
 */
public final class BlockWithMetadata extends ReadOnlyHeaders {
  private static final int HPACK_ENTRY_OVERHEAD = 32;

  private final SharedHeaders block;
  private final String[] names;
  private final String[] values;
  private int count;
  private long listSize;

  private BlockWithMetadata(SharedHeaders block, Metadata metadata) {
    this.block = block;
    names = new String[metadata.size()];
    values = new String[metadata.size()];
    listSize = block.listSize();
    metadata.forEach(this::add);
  }

  private void add(String key, Object value) {
    String header = HeadersCodec.metadataHeaderValue(key, value);
    if (header != null) {
      names[count] = key;
      values[count] = header;
      count++;
      listSize += key.length() + header.length() + HPACK_ENTRY_OVERHEAD;
    }
  }

  /** {@code block} followed by {@code metadata}'s headers (reserved names left out). */
  public static BlockWithMetadata of(SharedHeaders block, Metadata metadata) {
    return new BlockWithMetadata(block, metadata);
  }

  long listSize() {
    return listSize;
  }

  @Override
  public Iterator<Map.Entry<CharSequence, CharSequence>> iterator() {
    Iterator<Map.Entry<CharSequence, CharSequence>> shared = block.iterator();
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return shared.hasNext() || next < count;
      }

      @Override
      public Map.Entry<CharSequence, CharSequence> next() {
        if (shared.hasNext()) {
          return shared.next();
        }
        if (next >= count) {
          throw new NoSuchElementException();
        }
        int i = next++;
        return new AbstractMap.SimpleImmutableEntry<>(names[i], values[i]);
      }
    };
  }

  @Override
  public int size() {
    return block.size() + count;
  }

  @Override
  public boolean isEmpty() {
    return false;
  }

  @Override
  public CharSequence get(CharSequence name) {
    CharSequence shared = block.get(name);
    if (shared != null) {
      return shared;
    }
    for (int i = 0; i < count; i++) {
      if (AsciiString.contentEqualsIgnoreCase(names[i], name)) {
        return values[i];
      }
    }
    return null;
  }

  @Override
  public List<CharSequence> getAll(CharSequence name) {
    List<CharSequence> all = new ArrayList<>(block.getAll(name));
    for (int i = 0; i < count; i++) {
      if (AsciiString.contentEqualsIgnoreCase(names[i], name)) {
        all.add(values[i]);
      }
    }
    return all;
  }

  @Override
  public Set<CharSequence> names() {
    Set<CharSequence> all = new LinkedHashSet<>(block.names());
    for (int i = 0; i < count; i++) {
      all.add(names[i]);
    }
    return all;
  }

  @Override
  public CharSequence method() {
    return block.method();
  }

  @Override
  public CharSequence scheme() {
    return block.scheme();
  }

  @Override
  public CharSequence authority() {
    return block.authority();
  }

  @Override
  public CharSequence path() {
    return block.path();
  }

  @Override
  public CharSequence status() {
    return block.status();
  }
}
