package dev.strand.web.transcoding.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.strand.web.transcoding.path.PathTemplate;
import dev.strand.web.transcoding.rules.HttpBinding;
import dev.strand.web.transcoding.testproto.Book;
import dev.strand.web.transcoding.testproto.LibraryProto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Response bodies: the whole message, and a message-valued or scalar response_body. */
class ResponseMessagesTest {
  private static final MethodDescriptor GET_BOOK =
      LibraryProto.getDescriptor().findServiceByName("Library").findMethodByName("GetBook");
  private static final Descriptor BOOK = Book.getDescriptor();
  private static final JsonFormat.TypeRegistry TYPES =
      JsonFormat.TypeRegistry.newBuilder().add(BOOK).build();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace().usingTypeRegistry(TYPES);

  private final ResponseMessages responses = new ResponseMessages(TYPES);
  private final Book book =
      Book.newBuilder()
          .setName("shelves/1/books/2")
          .setTitle("<Dune>")
          .setIsbn(9_780_441_013_593L)
          .setPublished(Timestamp.newBuilder().setSeconds(-157_766_400L).setNanos(500_000_000))
          .addTags("sf")
          .build();

  @Test
  void wholeMessageIsItsProtoJson() throws IOException {
    assertEquals(PRINTER.print(book), body(null, book.toByteArray()));
  }

  @Test
  void messageValuedResponseBodyIsThatFieldsJson() throws IOException {
    FieldDescriptor published = BOOK.findFieldByName("published");
    assertEquals("\"1965-01-01T00:00:00.500Z\"", body(published, book.toByteArray()));
    // Absent: the field's default message.
    assertEquals(
        "\"1970-01-01T00:00:00Z\"", body(published, Book.newBuilder().build().toByteArray()));
    // Given twice, the occurrences merge, as a parser merges them.
    ByteArrayOutputStream split = new ByteArrayOutputStream();
    Book.newBuilder().setPublished(Timestamp.newBuilder().setSeconds(60)).build().writeTo(split);
    Book.newBuilder().setPublished(Timestamp.newBuilder().setNanos(1000)).build().writeTo(split);
    assertEquals("\"1970-01-01T00:01:00.000001Z\"", body(published, split.toByteArray()));
  }

  @Test
  void scalarResponseBodyIsThatValue() throws IOException {
    // The scalar path re-serializes JsonFormat's value through Gson, which does not escape <>.
    assertEquals("\"<Dune>\"", body(BOOK.findFieldByName("title"), book.toByteArray()));
    assertEquals("[\"sf\"]", body(BOOK.findFieldByName("tags"), book.toByteArray()));
  }

  private String body(FieldDescriptor responseBody, byte[] message) throws IOException {
    HttpBinding binding =
        new HttpBinding(
            null,
            GET_BOOK,
            "GET",
            PathTemplate.parse("/v1/{name=shelves/*/books/*}"),
            List.of(),
            HttpBinding.NO_BODY,
            null,
            responseBody);
    ResponseMessages.Body body = responses.render(binding, message);
    assertEquals(ResponseMessages.JSON, body.contentType());
    return new String(body.bytes(), StandardCharsets.UTF_8);
  }
}
