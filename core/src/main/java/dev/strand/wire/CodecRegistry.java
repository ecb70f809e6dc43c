package dev.strand.wire;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The compression schemes a peer supports, by name. "identity" is implicit. Thread-safe; the
 * default registry knows gzip and takes more (a user's zstd, say) with {@link #register}.
 */
public final class CodecRegistry {
  public static final String IDENTITY = "identity";
  private static final CodecRegistry DEFAULT = new CodecRegistry().register(Codec.GZIP);

  private final Map<String, Codec> codecs = new LinkedHashMap<>();
  private volatile String acceptEncoding = IDENTITY;

  public static CodecRegistry getDefault() {
    return DEFAULT;
  }

  public synchronized CodecRegistry register(Codec codec) {
    codecs.put(codec.name(), codec);
    acceptEncoding = String.join(",", codecs.keySet());
    return this;
  }

  /** The codec for a name, or null if unknown; "identity" has none. */
  public synchronized Codec lookup(String name) {
    return codecs.get(name);
  }

  public synchronized Collection<Codec> all() {
    return java.util.List.copyOf(codecs.values());
  }

  /** The value for {@code grpc-accept-encoding}: every registered name. */
  public String acceptEncoding() {
    return acceptEncoding;
  }
}
