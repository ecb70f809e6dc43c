package dev.strand.web.connect;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The details of gRPC's rich error model: the {@code google.rpc.Status} a call's {@code
 * grpc-status-details-bin} trailer holds, read as far as Connect needs it (each detail's type and
 * bytes) straight from the wire format, so strand-web needs no google-common-protos.
 */
final class StatusDetails {
  /** One {@code google.protobuf.Any} of {@code google.rpc.Status.details}. */
  record Detail(String typeUrl, byte[] value) {
    /** The fully-qualified message name Connect's "type" field wants, without the URL prefix. */
    String typeName() {
      return typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
    }
  }

  private static final int STATUS_DETAILS = 3;
  private static final int ANY_TYPE_URL = 1;
  private static final int ANY_VALUE = 2;

  private StatusDetails() {}

  private static boolean isBytesField(int tag, int number) {
    return WireFormat.getTagFieldNumber(tag) == number
        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }

  /** The details in a serialized {@code google.rpc.Status}; empty if it is not one. */
  static List<Detail> parse(byte[] rpcStatus) {
    List<Detail> details = new ArrayList<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(rpcStatus);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (isBytesField(tag, STATUS_DETAILS)) {
          details.add(parseAny(in.readByteArray()));
        } else if (!in.skipField(tag)) {
          break;
        }
      }
    } catch (IOException e) {
      // Not a google.rpc.Status after all: no details rather than a failed error report.
      return List.of();
    }
    return details;
  }

  private static Detail parseAny(byte[] any) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(any);
    String typeUrl = "";
    byte[] value = new byte[0];
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (isBytesField(tag, ANY_TYPE_URL)) {
        typeUrl = in.readStringRequireUtf8();
      } else if (isBytesField(tag, ANY_VALUE)) {
        value = in.readByteArray();
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    return new Detail(typeUrl, value);
  }
}
