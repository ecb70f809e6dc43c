package dev.strand.protobuf.json;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A message's ProtoJSON straight from its protobuf wire bytes, without building a message: the same
 * bytes, to the byte, as {@code
 * JsonFormat.printer().omittingInsignificantWhitespace().usingTypeRegistry(types)} prints for
 * {@code DynamicMessage.parseFrom(type, wire)} (and for the generated message, for the types that
 * take the fast path).
 *
 * <p>The fast path is one pass over the wire that writes bytes as it goes, with each field's quoted
 * JSON name and kind worked out once per type ({@link MessagePlan}). It takes every scalar type,
 * strings, bytes, enums (unknown numbers of open enums too), nested and recursive messages,
 * repeated fields packed or not, maps, oneofs, proto2 and proto3 presence, Timestamp, Duration, the
 * wrappers and Empty. It is decided once per type that a type holding Any, Struct, Value,
 * ListValue, FieldMask, NullValue, groups, extension ranges or required fields, or declaring fields
 * out of number order, goes to JsonFormat; and per message, when the wire is not canonical or holds
 * something JsonFormat would reject or rewrite ({@link WireJsonScanner} lists what). The fallback
 * parses a DynamicMessage and prints it with JsonFormat, as the slow path always did, so its output
 * and its errors are JsonFormat's own.
 *
 * <p>Thread-safe; make one per type and keep it.
 */
public final class ProtoJsonWriter {
  /**
   * Each thread's buffer, reused across calls so that a call allocates only the result; one that
   * grew past {@link #KEPT_CAPACITY} for a large message is dropped after it.
   */
  private static final ThreadLocal<JsonBytes> BUFFERS =
      ThreadLocal.withInitial(() -> new JsonBytes(8192));

  private static final int KEPT_CAPACITY = 1 << 20;

  private final Descriptor type;
  private final MessagePlan plan;
  private final boolean typeFits;
  private final JsonFormat.Printer printer;

  private ProtoJsonWriter(Descriptor type, JsonFormat.TypeRegistry types) {
    this.type = type;
    Map<Descriptor, MessagePlan> plans = new HashMap<>();
    this.plan = MessagePlan.of(type, plans);
    this.typeFits = plans.values().stream().allMatch(p -> p.fast);
    this.printer = JsonFormat.printer().omittingInsignificantWhitespace().usingTypeRegistry(types);
  }

  /** A writer for messages of {@code type}, with these types for the {@code Any}s it may hold. */
  public static ProtoJsonWriter forType(Descriptor type, JsonFormat.TypeRegistry types) {
    return new ProtoJsonWriter(type, types);
  }

  /**
   * Whether messages of this type take the fast path (unless their wire is not canonical): false
   * when the type, or one it holds, is one left to JsonFormat.
   */
  public boolean fastPathForType() {
    return typeFits;
  }

  /** The JSON of the message whose wire bytes these are, as UTF-8. */
  public byte[] write(byte[] wire) throws InvalidProtocolBufferException {
    byte[] fast = writeFast(wire);
    if (fast != null) {
      return fast;
    }
    return printer.print(DynamicMessage.parseFrom(type, wire)).getBytes(StandardCharsets.UTF_8);
  }

  /** The fast path's JSON, or null where it leaves the message to JsonFormat. */
  byte[] writeFast(byte[] wire) {
    if (!typeFits) {
      return null;
    }
    JsonBytes out = BUFFERS.get();
    out.clear();
    try {
      new WireJsonScanner(wire, out).writeMessage(plan);
      return out.toByteArray();
    } catch (NotFastPath | IndexOutOfBoundsException e) {
      return null; // not canonical, or truncated: JsonFormat decides (and reports) what it is
    } finally {
      if (out.capacity() > KEPT_CAPACITY) {
        BUFFERS.remove();
      }
    }
  }
}
