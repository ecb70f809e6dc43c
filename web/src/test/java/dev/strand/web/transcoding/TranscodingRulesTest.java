package dev.strand.web.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.server.BindableService;
import dev.strand.server.Server;
import dev.strand.testing.FailOnLeaks;
import dev.strand.web.transcoding.testproto.rules.BadTemplate;
import dev.strand.web.transcoding.testproto.rules.Conflicting;
import dev.strand.web.transcoding.testproto.rules.MessagePathField;
import dev.strand.web.transcoding.testproto.rules.NestedAdditionalBindings;
import dev.strand.web.transcoding.testproto.rules.RepeatedPathField;
import dev.strand.web.transcoding.testproto.rules.SelfConflicting;
import dev.strand.web.transcoding.testproto.rules.Thing;
import dev.strand.web.transcoding.testproto.rules.UnknownBodyField;
import dev.strand.web.transcoding.testproto.rules.UnknownPathField;
import dev.strand.web.transcoding.testproto.rules.UnknownResponseBody;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rules that cannot work fail the server's start, saying which method and why. */
@ExtendWith(FailOnLeaks.class)
class TranscodingRulesTest {

  private static String startFails(BindableService service) {
    Throwable e =
        assertThrows(
            Throwable.class,
            () -> Server.builder().address("127.0.0.1", 0).service(service).start().close());
    StringBuilder messages = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append(" | ");
    }
    return messages.toString();
  }

  @Test
  void conflictingRulesNameBothMethods() {
    Conflicting service =
        new Conflicting() {
          @Override
          public Thing getById(Thing request) {
            return request;
          }

          @Override
          public Thing getByName(Thing request) {
            return request;
          }
        };
    String message = startFails(service);
    assertTrue(message.contains("strand.transcoding.rules.Conflicting/GetById"), message);
    assertTrue(message.contains("strand.transcoding.rules.Conflicting/GetByName"), message);
    assertTrue(message.contains("GET /v1/things/{id}"), message);
    assertTrue(message.contains("GET /v1/things/{name}"), message);
  }

  @Test
  void additionalBindingsOfOneMethodConflictToo() {
    String message = startFails((SelfConflicting) request -> request);
    assertTrue(message.contains("conflict"), message);
    assertTrue(message.contains("SelfConflicting/Get"), message);
  }

  @Test
  void badTemplate() {
    String message = startFails((BadTemplate) request -> request);
    assertTrue(message.contains("BadTemplate/Get"), message);
    assertTrue(message.contains("not closed"), message);
  }

  @Test
  void pathFieldsMustBeSingularScalars() {
    assertTrue(startFails((UnknownPathField) r -> r).contains("has no field nope"));
    assertTrue(startFails((RepeatedPathField) r -> r).contains("repeated"));
    assertTrue(startFails((MessagePathField) r -> r).contains("is a message"));
  }

  @Test
  void bodyAndResponseBodyMustBeFields() {
    assertTrue(startFails((UnknownBodyField) r -> r).contains("body 'nope'"));
    assertTrue(startFails((UnknownResponseBody) r -> r).contains("response_body 'nope'"));
  }

  @Test
  void additionalBindingsDoNotNest() {
    assertTrue(startFails((NestedAdditionalBindings) r -> r).contains("must not have additional"));
  }

  @Test
  void offByProperty() throws Exception {
    // Rules that conflict do not matter when transcoding is off; the server serves gRPC alone.
    System.setProperty(TranscodingProtocol.ENABLED_PROPERTY, "false");
    try (LibraryServer server = new LibraryServer()) {
      HttpResponse<String> r = new Rest(server).get("/v1/books/b1");
      // gRPC's own answer to a request that is not gRPC.
      assertEquals(405, r.statusCode(), r.body());
    } finally {
      System.clearProperty(TranscodingProtocol.ENABLED_PROPERTY);
    }
  }
}
