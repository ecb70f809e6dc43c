package dev.strand.opentelemetry.tracing;

import dev.strand.Metadata;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Base64;

/**
 * Request headers as OpenTelemetry's propagation carrier (A72). Text propagators (W3C {@code
 * traceparent}, {@code tracestate}, B3...) read and write ASCII headers; {@code grpc-trace-bin} is
 * a binary header, which {@link GrpcTraceBin} reads and writes as bytes here, without the base64
 * round trip the text API would need.
 */
public final class MetadataCarrier implements TextMapGetter<Metadata>, TextMapSetter<Metadata> {
  public static final MetadataCarrier INSTANCE = new MetadataCarrier();

  private MetadataCarrier() {}

  @Override
  public void set(Metadata headers, String key, String value) {
    if (headers == null) {
      return;
    }
    if (key.equals(GrpcTraceBin.HEADER)) {
      // A propagator that went through the text API: its value is base64.
      setBinary(headers, key, Base64.getDecoder().decode(value));
    } else if (!Metadata.isBinaryKey(key)) {
      headers.put(key, value);
    }
    // Another binary propagator: A72 supports none but grpc-trace-bin, so its header is not sent.
  }

  /** The fast path for {@code grpc-trace-bin}: its bytes as they are. */
  public void setBinary(Metadata headers, String key, byte[] value) {
    headers.remove(key);
    headers.addBinary(key, value);
  }

  @Override
  public Iterable<String> keys(Metadata headers) {
    return headers.keys();
  }

  @Override
  public String get(Metadata headers, String key) {
    if (headers == null) {
      return null;
    }
    if (key.equals(GrpcTraceBin.HEADER)) {
      byte[] value = headers.getBinary(key);
      return value == null ? null : Base64.getEncoder().encodeToString(value);
    }
    if (Metadata.isBinaryKey(key)) {
      return null;
    }
    return headers.get(key);
  }

  /** The fast path for {@code grpc-trace-bin}. */
  public byte[] getBinary(Metadata headers, String key) {
    return headers == null ? null : headers.getBinary(key);
  }
}
