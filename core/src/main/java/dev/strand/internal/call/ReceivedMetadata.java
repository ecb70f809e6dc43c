package dev.strand.internal.call;

import dev.strand.Metadata;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Adds entries a transport received to a {@link Metadata} without the checks and copies of its
 * public methods: the transport has validated the key and decoded the value already, and hands over
 * a binary value's array. This is not Metadata's public API because a user who added entries this
 * way could break the rules the public methods keep (a lowercase legal key, a printable-ASCII
 * value, an array nobody else writes).
 *
 * <p>A method handle to Metadata's private append, rather than a hook Metadata installs, keeps the
 * vocabulary package from depending on this one (no package cycle). Both are in strand-core, so the
 * private lookup needs no {@code opens}; as a static final, the JIT inlines the call.
 */
public final class ReceivedMetadata {
  private static final MethodHandle APPEND;

  static {
    try {
      APPEND =
          MethodHandles.privateLookupIn(Metadata.class, MethodHandles.lookup())
              .findVirtual(
                  Metadata.class,
                  "append",
                  MethodType.methodType(void.class, String.class, Object.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private ReceivedMetadata() {}

  /** {@code key}: valid and lowercase; {@code value}: a String, or a byte[] now Metadata's. */
  public static void add(Metadata metadata, String key, Object value) {
    try {
      APPEND.invokeExact(metadata, key, value);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
