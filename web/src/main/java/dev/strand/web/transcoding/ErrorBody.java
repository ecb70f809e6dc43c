package dev.strand.web.transcoding;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.strand.Status;
import dev.strand.web.transcoding.message.ResponseMessages;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A failed call's HTTP body: its status as a google.rpc.Status in ProtoJSON, {@code {"code": 5,
 * "message": "...", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", ...}]}}, the
 * details from the call's {@code grpc-status-details-bin}, as grpc-gateway and Envoy answer.
 */
final class ErrorBody {
  private static final Logger LOG = Logger.getLogger(ErrorBody.class.getName());

  private final ResponseMessages json;

  ErrorBody(ResponseMessages json) {
    this.json = json;
  }

  /** {@code detailsBin}: the trailer's base64 value, or null. */
  byte[] render(Status status, CharSequence detailsBin) {
    com.google.rpc.Status.Builder body =
        com.google.rpc.Status.newBuilder().setCode(status.code().value());
    if (status.description() != null) {
      body.setMessage(status.description());
    }
    if (detailsBin != null) {
      try {
        body.addAllDetails(
            com.google.rpc.Status.parseFrom(decodeBase64(detailsBin.toString())).getDetailsList());
      } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
        LOG.log(Level.FINE, "grpc-status-details-bin does not parse; sent without details", e);
      }
    }
    return (print(body) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The JSON; details of types the server does not know are left out rather than failing. */
  String print(com.google.rpc.Status.Builder status) {
    try {
      return json.print(status);
    } catch (InvalidProtocolBufferException e) {
      com.google.rpc.Status.Builder known = status.clone().clearDetails();
      for (Any detail : status.getDetailsList()) {
        try {
          json.print(com.google.rpc.Status.newBuilder().addDetails(detail));
          known.addDetails(detail);
        } catch (InvalidProtocolBufferException unknown) {
          LOG.log(Level.FINE, "error detail of an unknown type left out: " + detail.getTypeUrl());
        }
      }
      try {
        return json.print(known);
      } catch (InvalidProtocolBufferException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
  }

  private static byte[] decodeBase64(String value) {
    String v = value.trim();
    return v.indexOf('-') >= 0 || v.indexOf('_') >= 0
        ? Base64.getUrlDecoder().decode(v)
        : Base64.getDecoder().decode(v);
  }
}
