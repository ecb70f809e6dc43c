package dev.strand.web.transcoding;

import com.google.api.HttpBody;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.FieldMaskUtil;
import com.google.rpc.ErrorInfo;
import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.stub.StreamSink;
import dev.strand.stub.StreamSource;
import dev.strand.web.transcoding.testproto.Book;
import dev.strand.web.transcoding.testproto.CreateBookRequest;
import dev.strand.web.transcoding.testproto.DeleteBookRequest;
import dev.strand.web.transcoding.testproto.EchoRequest;
import dev.strand.web.transcoding.testproto.EchoResponse;
import dev.strand.web.transcoding.testproto.FailRequest;
import dev.strand.web.transcoding.testproto.Genre;
import dev.strand.web.transcoding.testproto.GetBookRequest;
import dev.strand.web.transcoding.testproto.GetFileRequest;
import dev.strand.web.transcoding.testproto.GetShelfRequest;
import dev.strand.web.transcoding.testproto.Library;
import dev.strand.web.transcoding.testproto.ListBooksRequest;
import dev.strand.web.transcoding.testproto.ListBooksResponse;
import dev.strand.web.transcoding.testproto.PublishBookRequest;
import dev.strand.web.transcoding.testproto.Shelf;
import dev.strand.web.transcoding.testproto.UpdateBookRequest;
import dev.strand.web.transcoding.testproto.UploadFileRequest;
import dev.strand.web.transcoding.testproto.UploadFileResponse;
import dev.strand.web.transcoding.testproto.WatchBooksRequest;

/** The library the transcoding tests call: each method shows what its request became. */
final class LibraryService implements Library {
  static final Timestamp PUBLISHED =
      Timestamp.newBuilder().setSeconds(1700000000).setNanos(500_000_000).build();

  static Book book(String name) {
    return Book.newBuilder()
        .setName(name)
        .setTitle("Title of " + name)
        .setAuthor("Ann Author")
        .setIsbn(9780000000001L)
        .setGenre(Genre.FICTION)
        .setPublished(PUBLISHED)
        .addTags("a")
        .addTags("b")
        .setPages(300)
        .build();
  }

  @Override
  public Book getBook(GetBookRequest request) {
    if (request.getName().endsWith("boom")) {
      throw new IllegalStateException("a secret that must not leak");
    }
    if (request.getName().endsWith("missing")) {
      throw new StatusException(Status.NOT_FOUND.withDescription("no book " + request.getName()));
    }
    return book(request.getName());
  }

  @Override
  public Shelf getShelf(GetShelfRequest request) {
    return Shelf.newBuilder()
        .setId(request.getShelf().getId())
        .setTheme(request.getFilter().getAuthor() + "/" + request.getFilter().getGenre())
        .setRevision(request.getRevision())
        .build();
  }

  @Override
  public ListBooksResponse listBooks(ListBooksRequest request) {
    return ListBooksResponse.newBuilder()
        .addBooks(book(request.getParent() + "/books/1"))
        .setNextPageToken("after-" + request.getPageToken())
        .setRequestText(request.toString())
        .build();
  }

  @Override
  public Book createBook(CreateBookRequest request) {
    return request.getBook().toBuilder()
        .setName(request.getParent() + "/books/" + request.getRequestId())
        .build();
  }

  @Override
  public Book updateBook(UpdateBookRequest request) {
    Book.Builder stored =
        Book.newBuilder()
            .setName(request.getBook().getName())
            .setTitle("Old title")
            .setAuthor("Old author")
            .setPages(100);
    FieldMaskUtil.merge(request.getUpdateMask(), request.getBook(), stored);
    return stored.build();
  }

  @Override
  public Shelf putShelf(Shelf request) {
    return request.toBuilder().setRevision(request.getRevision() + 1).build();
  }

  @Override
  public Empty deleteBook(DeleteBookRequest request) {
    return Empty.getDefaultInstance();
  }

  @Override
  public Book publishBook(PublishBookRequest request) {
    return Book.newBuilder()
        .setName(request.getName())
        .setTitle("edition " + request.getEdition() + ", " + request.getCopies() + " copies")
        .build();
  }

  @Override
  public Book getBookTitle(GetBookRequest request) {
    return book(request.getName());
  }

  @Override
  public HttpBody getFile(GetFileRequest request) {
    return HttpBody.newBuilder()
        .setContentType("text/plain; charset=utf-8")
        .setData(ByteString.copyFromUtf8("file " + request.getPath()))
        .build();
  }

  @Override
  public void streamFile(GetFileRequest request, StreamSink<HttpBody> responses) {
    for (int i = 1; i <= 3; i++) {
      responses.send(
          HttpBody.newBuilder()
              .setContentType("text/csv")
              .setData(ByteString.copyFromUtf8(request.getPath() + "," + i + "\n"))
              .build());
    }
    if (request.getPath().endsWith("broken")) {
      throw new StatusException(Status.DATA_LOSS.withDescription("the rest is lost"));
    }
  }

  @Override
  public UploadFileResponse uploadFile(UploadFileRequest request) {
    return UploadFileResponse.newBuilder()
        .setName(request.getName())
        .setContentType(request.getFile().getContentType())
        .setSize(request.getFile().getData().size())
        .build();
  }

  @Override
  public void watchBooks(WatchBooksRequest request, StreamSink<Book> responses) {
    if (request.getFailFirst()) {
      throw new StatusException(
          Status.NOT_FOUND.withDescription("no shelf " + request.getParent()));
    }
    for (int i = 1; i <= request.getCount(); i++) {
      if (request.getFailAfter() > 0 && i > request.getFailAfter()) {
        throw new StatusException(
            Status.FAILED_PRECONDITION.withDescription("stopped after " + request.getFailAfter()));
      }
      responses.send(Book.newBuilder().setName(request.getParent() + "/books/" + i).build());
    }
  }

  @Override
  public Empty fail(FailRequest request) {
    if (request.getSleepMillis() > 0) {
      try {
        Thread.sleep(request.getSleepMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Status status = Status.fromCodeValue(request.getCode()).withDescription(request.getMessage());
    Metadata trailers = new Metadata();
    if (request.getWithDetails()) {
      com.google.rpc.Status details =
          com.google.rpc.Status.newBuilder()
              .setCode(request.getCode())
              .setMessage(request.getMessage())
              .addDetails(
                  Any.pack(
                      ErrorInfo.newBuilder()
                          .setReason("TEST_REASON")
                          .setDomain("strand.dev")
                          .putMetadata("key", "value")
                          .build()))
              .build();
      trailers.addBinary("grpc-status-details-bin", details.toByteArray());
    }
    throw new StatusException(status, trailers);
  }

  @Override
  public EchoResponse echo(EchoRequest request) {
    return EchoResponse.newBuilder()
        .setText(request.getText())
        .putAllLabels(request.getLabelsMap())
        .build();
  }

  @Override
  public Book hidden(GetBookRequest request) {
    return book(request.getName());
  }

  @Override
  public ListBooksResponse importBooks(StreamSource<Book> requests) {
    ListBooksResponse.Builder out = ListBooksResponse.newBuilder();
    for (Book book : requests) {
      out.addBooks(book);
    }
    return out.build();
  }
}
