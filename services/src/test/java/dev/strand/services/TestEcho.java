package dev.strand.services;

import com.google.rpc.BadRequest;
import com.google.rpc.DebugInfo;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.strand.Status;
import dev.strand.services.errors.RichStatus;
import dev.strand.services.test.Echo;
import dev.strand.services.test.EchoReply;
import dev.strand.services.test.EchoRequest;
import dev.strand.services.test.Note;

/**
 * The test service: echoes the payload's text, shouting it when the mood is LOUD. The text "fail"
 * makes it fail with {@link #RICH_ERROR}, details and all.
 */
public final class TestEcho implements Echo {
  /** What "fail" fails with: one detail of each common kind. */
  public static final com.google.rpc.Status RICH_ERROR =
      RichStatus.of(
          Status.INVALID_ARGUMENT.withDescription("payload text must not be 'fail'"),
          ErrorInfo.newBuilder()
              .setReason("FORBIDDEN_WORD")
              .setDomain("strand.dev")
              .putMetadata("word", "fail")
              .build(),
          BadRequest.newBuilder()
              .addFieldViolations(
                  BadRequest.FieldViolation.newBuilder()
                      .setField("payload.text")
                      .setDescription("must not be 'fail'"))
              .build(),
          RetryInfo.newBuilder()
              .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(3))
              .build(),
          DebugInfo.newBuilder().addStackEntries("TestEcho.say").setDetail("on purpose").build());

  @Override
  public EchoReply say(EchoRequest request) {
    String text = request.getPayload().getText();
    if (text.equals("fail")) {
      throw RichStatus.toException(RICH_ERROR);
    }
    if (request.getMood() == EchoRequest.Mood.LOUD) {
      text = text.toUpperCase(java.util.Locale.ROOT);
    }
    return EchoReply.newBuilder()
        .setText(text)
        .setNote(Note.newBuilder().setWords("echoed by Strand"))
        .build();
  }
}
