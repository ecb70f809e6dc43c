package dev.strand.e2e.transcoding;

import dev.strand.StatusException;
import dev.strand.examples.bookshop.Book;
import dev.strand.examples.bookshop.BookshopGrpc;
import dev.strand.examples.bookshop.BookshopService;
import dev.strand.examples.bookshop.CreateBookRequest;
import dev.strand.examples.bookshop.DeleteBookRequest;
import dev.strand.examples.bookshop.GetBookRequest;
import dev.strand.examples.bookshop.ListBooksRequest;
import dev.strand.examples.bookshop.ListBooksResponse;
import dev.strand.examples.bookshop.PublishBookRequest;
import dev.strand.examples.bookshop.UpdateBookRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/**
 * The example bookshop as a grpc-java service, for Armeria to serve: each method calls the same
 * {@link BookshopService} Strand serves, and its StatusException becomes grpc-java's.
 */
final class GrpcJavaBookshop extends BookshopGrpc.BookshopImplBase {
  private final BookshopService shop;

  GrpcJavaBookshop(BookshopService shop) {
    this.shop = shop;
  }

  private static <T> void answer(StreamObserver<T> out, Supplier<T> call) {
    T response;
    try {
      response = call.get();
    } catch (StatusException e) {
      out.onError(
          Status.fromCodeValue(e.status().code().value())
              .withDescription(e.status().description())
              .asRuntimeException());
      return;
    }
    out.onNext(response);
    out.onCompleted();
  }

  @Override
  public void listBooks(ListBooksRequest request, StreamObserver<ListBooksResponse> out) {
    answer(out, () -> shop.listBooks(request));
  }

  @Override
  public void getBook(GetBookRequest request, StreamObserver<Book> out) {
    answer(out, () -> shop.getBook(request));
  }

  @Override
  public void createBook(CreateBookRequest request, StreamObserver<Book> out) {
    answer(out, () -> shop.createBook(request));
  }

  @Override
  public void updateBook(UpdateBookRequest request, StreamObserver<Book> out) {
    answer(out, () -> shop.updateBook(request));
  }

  @Override
  public void deleteBook(DeleteBookRequest request, StreamObserver<com.google.protobuf.Empty> out) {
    answer(out, () -> shop.deleteBook(request));
  }

  @Override
  public void publishBook(PublishBookRequest request, StreamObserver<Book> out) {
    answer(out, () -> shop.publishBook(request));
  }
}
