package dev.strand.examples.bookshop;

import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.FieldMaskUtil;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.stub.StreamSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** An in-memory bookshop: shelves of books, kept in id order. */
public final class BookshopService implements Bookshop {
  private static final int DEFAULT_PAGE = 10;
  private static final int MAX_PAGE = 100;

  private final Map<String, NavigableMap<String, Book>> shelves = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);

  /** A shop with two shelves, "fiction" and "science", and a few books on each. */
  public static BookshopService withSampleBooks() {
    BookshopService shop = new BookshopService();
    shop.put("fiction", book("dune", "Dune", "Frank Herbert", 412, 9780441013593L));
    shop.put(
        "fiction",
        book("earthsea", "A Wizard of Earthsea", "Ursula K. Le Guin", 183, 9780547773742L));
    shop.put("fiction", book("solaris", "Solaris", "Stanisław Lem", 204, 9780156027601L));
    shop.put("science", book("cosmos", "Cosmos", "Carl Sagan", 396, 9780345539434L));
    return shop;
  }

  private static Book book(String id, String title, String author, int pages, long isbn) {
    return Book.newBuilder()
        .setId(id)
        .setTitle(title)
        .setAuthor(author)
        .setPages(pages)
        .setIsbn(isbn)
        .setState(Book.State.PUBLISHED)
        .setPublishTime(Timestamp.newBuilder().setSeconds(1_600_000_000L))
        .build();
  }

  private void put(String shelf, Book book) {
    shelves.computeIfAbsent(shelf, s -> new ConcurrentSkipListMap<>()).put(book.getId(), book);
  }

  @Override
  public ListBooksResponse listBooks(ListBooksRequest request) {
    int size = request.getPageSize() == 0 ? DEFAULT_PAGE : request.getPageSize();
    if (size < 0 || size > MAX_PAGE) {
      throw invalid("page_size must be between 1 and " + MAX_PAGE + ", was " + size);
    }
    NavigableMap<String, Book> books = shelf(request.getShelf());
    // The token is the id of the last book of the previous page.
    Iterable<Book> rest =
        request.getPageToken().isEmpty()
            ? books.values()
            : books.tailMap(request.getPageToken(), false).values();
    ListBooksResponse.Builder page = ListBooksResponse.newBuilder();
    for (Book book : rest) {
      if (page.getBooksCount() == size) {
        page.setNextPageToken(page.getBooks(size - 1).getId());
        break;
      }
      page.addBooks(book);
    }
    return page.build();
  }

  @Override
  public Book getBook(GetBookRequest request) {
    return find(request.getShelf(), request.getBook());
  }

  @Override
  public Book createBook(CreateBookRequest request) {
    Book.Builder book = request.getBook().toBuilder();
    if (book.getTitle().isEmpty()) {
      throw invalid("a book needs a title");
    }
    if (book.getId().isEmpty()) {
      book.setId("b" + nextId.getAndIncrement());
    }
    book.setState(Book.State.DRAFT).clearPublishTime();
    Book created = book.build();
    NavigableMap<String, Book> books =
        shelves.computeIfAbsent(request.getShelf(), s -> new ConcurrentSkipListMap<>());
    if (books.putIfAbsent(created.getId(), created) != null) {
      throw new StatusException(
          Status.ALREADY_EXISTS.withDescription(
              "shelves/" + request.getShelf() + "/books/" + created.getId() + " exists"));
    }
    return created;
  }

  @Override
  public Book updateBook(UpdateBookRequest request) {
    Book stored = find(request.getShelf(), request.getBook().getId());
    if (!FieldMaskUtil.isValid(Book.class, request.getUpdateMask())) {
      throw invalid("update_mask names a field Book does not have: " + request.getUpdateMask());
    }
    Book.Builder updated = stored.toBuilder();
    FieldMaskUtil.merge(request.getUpdateMask(), request.getBook(), updated);
    Book book = updated.setId(stored.getId()).build();
    shelf(request.getShelf()).put(book.getId(), book);
    return book;
  }

  @Override
  public Empty deleteBook(DeleteBookRequest request) {
    if (shelf(request.getShelf()).remove(request.getBook()) == null) {
      throw notFound(request.getShelf(), request.getBook());
    }
    return Empty.getDefaultInstance();
  }

  @Override
  public Book publishBook(PublishBookRequest request) {
    Book stored = find(request.getShelf(), request.getBook());
    if (stored.getState() == Book.State.PUBLISHED) {
      throw new StatusException(
          Status.FAILED_PRECONDITION.withDescription(stored.getId() + " is published already"));
    }
    Instant now = Instant.now();
    Timestamp when =
        request.hasPublishTime()
            ? request.getPublishTime()
            : Timestamp.newBuilder()
                .setSeconds(now.getEpochSecond())
                .setNanos(now.getNano())
                .build();
    Book published = stored.toBuilder().setState(Book.State.PUBLISHED).setPublishTime(when).build();
    shelf(request.getShelf()).put(published.getId(), published);
    return published;
  }

  @Override
  public void watchBooks(ListBooksRequest request, StreamSink<Book> responses) {
    List<Book> books = new ArrayList<>(shelf(request.getShelf()).values());
    for (Book book : books) {
      responses.send(book);
    }
  }

  private NavigableMap<String, Book> shelf(String shelf) {
    NavigableMap<String, Book> books = shelves.get(shelf);
    if (books == null) {
      throw new StatusException(Status.NOT_FOUND.withDescription("no shelf " + shelf));
    }
    return books;
  }

  private Book find(String shelf, String id) {
    Book book = shelf(shelf).get(id);
    if (book == null) {
      throw notFound(shelf, id);
    }
    return book;
  }

  private static StatusException notFound(String shelf, String id) {
    return new StatusException(
        Status.NOT_FOUND.withDescription("no book shelves/" + shelf + "/books/" + id));
  }

  private static StatusException invalid(String why) {
    return new StatusException(Status.INVALID_ARGUMENT.withDescription(why));
  }
}
