package dev.strand.bench.jmh;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.strand.bench.jsonpage.Item;
import dev.strand.bench.jsonpage.ItemPage;
import dev.strand.protobuf.json.ProtoJsonWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A response message to ProtoJSON bytes, three ways. {@code jsonFormatDynamic}: what transcoding
 * did before ProtoJsonWriter (the wire bytes parsed into a DynamicMessage, printed by JsonFormat,
 * encoded to UTF-8). {@code jsonFormatGenerated}: what ProtoJsonMarshaller (Connect JSON) did, on
 * the generated message. {@code writerFromWire}: ProtoJsonWriter on the wire bytes, as transcoding
 * now does; {@code writerFromGenerated}: the generated message serialized and then written, the
 * option for ProtoJsonMarshaller. {@code small} is one item (~400 B of JSON), {@code page} a page
 * of 100 (~37 KB).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ProtoJsonBenchmark {
  @Param({"small", "page"})
  public String message;

  private Message generated;
  private Descriptor type;
  private byte[] wire;
  private JsonFormat.Printer printer;
  private ProtoJsonWriter writer;

  @Setup
  public void setup() throws InvalidProtocolBufferException {
    generated = message.equals("small") ? item(1) : page(100);
    type = generated.getDescriptorForType();
    wire = generated.toByteArray();
    JsonFormat.TypeRegistry types = JsonFormat.TypeRegistry.newBuilder().add(type).build();
    printer = JsonFormat.printer().omittingInsignificantWhitespace().usingTypeRegistry(types);
    writer = ProtoJsonWriter.forType(type, types);
    if (!java.util.Arrays.equals(writerFromWire(), jsonFormatGenerated())) {
      throw new IllegalStateException("the writer and JsonFormat disagree");
    }
  }

  @Benchmark
  public byte[] jsonFormatDynamic() throws InvalidProtocolBufferException {
    return printer.print(DynamicMessage.parseFrom(type, wire)).getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public byte[] jsonFormatGenerated() throws InvalidProtocolBufferException {
    return printer.print(generated).getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public byte[] writerFromWire() throws InvalidProtocolBufferException {
    return writer.write(wire);
  }

  @Benchmark
  public byte[] writerFromGenerated() throws InvalidProtocolBufferException {
    return writer.write(generated.toByteArray());
  }

  private static ItemPage page(int size) {
    ItemPage.Builder page = ItemPage.newBuilder().setNextPageToken("cGFnZT0y").setTotalSize(1234);
    for (int i = 1; i <= size; i++) {
      page.addItems(item(i));
    }
    return page.build();
  }

  private static Item item(int i) {
    return Item.newBuilder()
        .setId(1_000_000L + i)
        .setName("Item number " + i)
        .setDescription(
            "A sturdy, well-made thing for everyday use; comes in several colours & sizes. "
                + "Ships in 2-3 days.")
        .setPrice(9.99 + i)
        .setQuantity(i * 3)
        .addTags("home")
        .addTags("garden")
        .addTags("sale")
        .setCreated(
            Timestamp.newBuilder().setSeconds(1_700_000_000L + i * 3600L).setNanos(i * 1000))
        .setStatus(i % 3 == 0 ? Item.Status.ARCHIVED : Item.Status.ACTIVE)
        .setAvailable(i % 2 == 0)
        .setSku("SKU-" + (100_000 + i))
        .build();
  }
}
