package dev.strand.netty.headers;

import io.netty.handler.codec.EmptyHeaders;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A header block that is read and never written, Strand's own kinds of {@link Http2Headers}: the
 * lookups Netty's interface asks for, derived from a subclass's {@code get}, {@code getAll}, {@code
 * size} and iteration. Every setter refuses ({@link EmptyHeaders} refuses the rest).
 */
abstract class ReadOnlyHeaders extends EmptyHeaders<CharSequence, CharSequence, Http2Headers>
    implements Http2Headers {

  @Override
  public abstract Iterator<Map.Entry<CharSequence, CharSequence>> iterator();

  @Override
  public CharSequence get(CharSequence name, CharSequence defaultValue) {
    CharSequence value = get(name);
    return value == null ? defaultValue : value;
  }

  @Override
  public Iterator<CharSequence> valueIterator(CharSequence name) {
    return getAll(name).iterator();
  }

  @Override
  public boolean contains(CharSequence name) {
    return get(name) != null;
  }

  @Override
  public boolean contains(CharSequence name, CharSequence value) {
    return contains(name, value, false);
  }

  @Override
  public boolean contains(CharSequence name, CharSequence value, boolean caseInsensitive) {
    for (CharSequence candidate : getAll(name)) {
      if (caseInsensitive
          ? AsciiString.contentEqualsIgnoreCase(candidate, value)
          : AsciiString.contentEquals(candidate, value)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public Set<CharSequence> names() {
    Set<CharSequence> names = new LinkedHashSet<>();
    for (Map.Entry<CharSequence, CharSequence> entry : this) {
      names.add(entry.getKey());
    }
    return names;
  }

  @Override
  public Http2Headers method(CharSequence value) {
    throw readOnly();
  }

  @Override
  public Http2Headers scheme(CharSequence value) {
    throw readOnly();
  }

  @Override
  public Http2Headers authority(CharSequence value) {
    throw readOnly();
  }

  @Override
  public Http2Headers path(CharSequence value) {
    throw readOnly();
  }

  @Override
  public Http2Headers status(CharSequence value) {
    throw readOnly();
  }

  static UnsupportedOperationException readOnly() {
    return new UnsupportedOperationException("this header block is read-only");
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(getClass().getSimpleName()).append('[');
    String separator = "";
    for (Map.Entry<CharSequence, CharSequence> entry : this) {
      out.append(separator).append(entry.getKey()).append(": ").append(entry.getValue());
      separator = ", ";
    }
    return out.append(']').toString();
  }
}
