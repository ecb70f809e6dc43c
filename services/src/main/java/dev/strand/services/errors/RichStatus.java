package dev.strand.services.errors;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Google's rich error model on Strand: a {@code google.rpc.Status} (code, message and typed details
 * such as ErrorInfo, BadRequest, RetryInfo or DebugInfo) travels in the {@code
 * grpc-status-details-bin} trailer next to the plain gRPC status, the same way grpc-java's {@code
 * StatusProto}, grpc-go's {@code status.Details} and the other implementations carry it, so either
 * side can be any of them.
 *
 * <pre>{@code
 * // Server: fail with details.
 * throw RichStatus.exception(Status.INVALID_ARGUMENT.withDescription("bad name"),
 *     BadRequest.newBuilder().addFieldViolations(...).build());
 *
 * // Client: read them back.
 * catch (StatusException e) {
 *   RichStatus.fromThrowable(e).flatMap(s -> RichStatus.detail(s, BadRequest.class))...
 * }
 * }</pre>
 */
public final class RichStatus {
  /** The trailer that carries the serialized {@code google.rpc.Status}. */
  public static final String DETAILS_KEY = "grpc-status-details-bin";

  /** UNAUTHENTICATED, the last of the 17 codes statuscodes.md defines. */
  private static final int MAX_CODE = 16;

  private RichStatus() {}

  /**
   * A {@code google.rpc.Status} with the code and description of {@code status}, each detail packed
   * in an Any (one already packed is kept as it is).
   */
  public static com.google.rpc.Status of(Status status, Message... details) {
    com.google.rpc.Status.Builder b =
        com.google.rpc.Status.newBuilder().setCode(status.code().value());
    if (status.description() != null) {
      b.setMessage(status.description());
    }
    for (Message detail : details) {
      b.addDetails(detail instanceof Any any ? any : Any.pack(detail));
    }
    return b.build();
  }

  /**
   * The usual way to fail with details: {@code throw
   * RichStatus.exception(Status.INVALID_ARGUMENT.withDescription("..."), badRequest)}.
   */
  public static StatusException exception(Status status, Message... details) {
    return toException(of(status, details));
  }

  /** An exception that ends a call with this status and sends its details in the trailers. */
  public static StatusException toException(com.google.rpc.Status status) {
    return toException(status, new Metadata());
  }

  /**
   * Like {@link #toException(com.google.rpc.Status)}, with more trailers to send. The gRPC status
   * is derived from the proto (code, and message as description), so the two can't disagree.
   *
   * @throws IllegalArgumentException if the code is OK (not an error) or not a gRPC code
   */
  public static StatusException toException(com.google.rpc.Status status, Metadata trailers) {
    int code = status.getCode();
    if (code <= 0 || code > MAX_CODE) {
      throw new IllegalArgumentException(
          "an error's code is a gRPC code from 1 to 16, not " + code);
    }
    Metadata all = new Metadata().merge(trailers);
    all.remove(DETAILS_KEY);
    all.addBinary(DETAILS_KEY, status.toByteArray());
    Status grpcStatus =
        Status.fromCodeValue(code)
            .withDescription(status.getMessage().isEmpty() ? null : status.getMessage());
    return grpcStatus.asException(all);
  }

  /**
   * The {@code google.rpc.Status} a failed call carried, found in the first StatusException on the
   * cause chain; empty if there is none, or if it has no details (see {@link #fromTrailers}).
   */
  public static Optional<com.google.rpc.Status> fromThrowable(Throwable t) {
    for (Throwable cur = t; cur != null; cur = cur.getCause()) {
      if (cur instanceof StatusException se) {
        return fromTrailers(se.status(), se.trailers());
      }
    }
    return Optional.empty();
  }

  /**
   * The {@code google.rpc.Status} in a call's trailers. Empty if there is none, if it does not
   * parse, or if its code contradicts the call's gRPC status: the transport vouches for the gRPC
   * status, and details that disagree with it describe some other failure (a proxy may have
   * replaced the status but forwarded the trailer).
   */
  public static Optional<com.google.rpc.Status> fromTrailers(Status status, Metadata trailers) {
    if (trailers == null) {
      return Optional.empty();
    }
    byte[] bytes = trailers.getBinary(DETAILS_KEY);
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      com.google.rpc.Status details = com.google.rpc.Status.parseFrom(bytes);
      return details.getCode() == status.code().value() ? Optional.of(details) : Optional.empty();
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }

  /** The first detail of this type, e.g. {@code detail(status, RetryInfo.class)}. */
  public static <T extends Message> Optional<T> detail(
      com.google.rpc.Status status, Class<T> type) {
    List<T> all = details(status, type);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /** Every detail of this type, in order; details of other (or unknown) types are skipped. */
  public static <T extends Message> List<T> details(com.google.rpc.Status status, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Any any : status.getDetailsList()) {
      if (any.is(type)) {
        try {
          out.add(any.unpack(type));
        } catch (InvalidProtocolBufferException e) {
          // A detail that claims the type but does not parse is as good as absent.
        }
      }
    }
    return out;
  }
}
