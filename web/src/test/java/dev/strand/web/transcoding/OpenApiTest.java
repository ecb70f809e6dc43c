package dev.strand.web.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.strand.testing.FailOnLeaks;
import dev.strand.web.transcoding.openapi.OpenApiWriter;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI 3.1 document of the library's rules, served by the server and written at build time,
 * validated by swagger-parser (npm, src/test/openapi) and read for what it must say.
 */
@ExtendWith(FailOnLeaks.class)
class OpenApiTest {
  private static final Path NODE_DIR = Path.of("src", "test", "openapi");

  @TempDir Path scratch;

  @Test
  void servedDocumentIsValid() throws Exception {
    Path file = scratch.resolve("served.json");
    try (LibraryServer server = new LibraryServer()) {
      HttpResponse<String> r = new Rest(server).get("/openapi.json");
      assertEquals(200, r.statusCode());
      assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
      Files.writeString(file, r.body());
    }
    assertValid(file);
    JsonObject doc = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    assertEquals("3.1.0", doc.get("openapi").getAsString());
    JsonObject paths = doc.getAsJsonObject("paths");
    assertTrue(paths.has("/v1/{name}"), paths.keySet().toString());
    JsonObject get = paths.getAsJsonObject("/v1/{name}").getAsJsonObject("get");
    assertEquals("Library_GetBook", get.get("operationId").getAsString());
    JsonObject name = get.getAsJsonArray("parameters").get(0).getAsJsonObject();
    assertEquals("path", name.get("in").getAsString());
    assertEquals(
        "^shelves/[^/]+/books/[^/]+$", name.getAsJsonObject("schema").get("pattern").getAsString());
    // Query parameters: leaves, dotted; int64 as strings; enums by name.
    JsonObject list = paths.getAsJsonObject("/v1/{parent}/books").getAsJsonObject("get");
    String params = list.getAsJsonArray("parameters").toString();
    assertTrue(params.contains("\"name\":\"page_token\""), params);
    assertTrue(params.contains("\"name\":\"filter.author\""), params);
    assertFalse(params.contains("\"name\":\"parent\",\"in\":\"query\""), params);
    JsonObject schemas = doc.getAsJsonObject("components").getAsJsonObject("schemas");
    JsonObject book = schemas.getAsJsonObject("strand.transcoding.test.Book");
    assertEquals(
        "string",
        book.getAsJsonObject("properties").getAsJsonObject("isbn").get("type").getAsString());
    assertTrue(schemas.has("google.rpc.Status"));
    // A stream is NDJSON; errors are google.rpc.Status.
    JsonObject watch = paths.getAsJsonObject("/v1/{parent}/books:watch").getAsJsonObject("get");
    assertTrue(
        watch
            .getAsJsonObject("responses")
            .getAsJsonObject("200")
            .getAsJsonObject("content")
            .has("application/x-ndjson"));
    // PATCH /v1/{book.name=...} is the same OpenAPI path as GET /v1/{name=...}: one path item,
    // its parameter under the first one's name, saying which field it sets.
    assertFalse(paths.has("/v1/{book.name}"), paths.keySet().toString());
    JsonObject patch = paths.getAsJsonObject("/v1/{name}").getAsJsonObject("patch");
    JsonObject patchName = patch.getAsJsonArray("parameters").get(0).getAsJsonObject();
    assertEquals("name", patchName.get("name").getAsString());
    // SEARCH is no OpenAPI method: left out.
    assertFalse(paths.has("/v1/{name}/title"), paths.keySet().toString());
  }

  @Test
  void buildTimeDocumentCarriesTheComments() throws Exception {
    Path descriptors = Path.of("target", "test-descriptors.binpb");
    List<ServiceDescriptor> services = OpenApiWriter.services(descriptors);
    assertTrue(services.stream().anyMatch(s -> s.getName().equals("Library")));
    Path file = scratch.resolve("written.json");
    OpenApiWriter.main(
        new String[] {
          descriptors.toString(),
          file.toString(),
          "--title",
          "Library",
          "--version",
          "1.2.3",
          "--service",
          "strand.transcoding.test.Library"
        });
    assertValid(file);
    JsonObject doc = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    assertEquals("1.2.3", doc.getAsJsonObject("info").get("version").getAsString());
    JsonObject get =
        doc.getAsJsonObject("paths").getAsJsonObject("/v1/{name}").getAsJsonObject("get");
    assertEquals("Gets a book by its resource name.", get.get("summary").getAsString());
    String book =
        doc.getAsJsonObject("components")
            .getAsJsonObject("schemas")
            .getAsJsonObject("strand.transcoding.test.Book")
            .toString();
    assertTrue(book.contains("shelves/{shelf}/books/{book}"), book);
  }

  @Test
  void servedAtAConfiguredPathOrNot() throws Exception {
    System.setProperty(TranscodingProtocol.OPENAPI_PROPERTY, "/api/spec");
    try (LibraryServer server = new LibraryServer()) {
      Rest rest = new Rest(server);
      assertEquals(200, rest.get("/api/spec").statusCode());
      assertEquals(404, rest.get("/openapi.json").statusCode());
    } finally {
      System.clearProperty(TranscodingProtocol.OPENAPI_PROPERTY);
    }
    System.setProperty(TranscodingProtocol.OPENAPI_PROPERTY, "");
    try (LibraryServer server = new LibraryServer()) {
      assertEquals(404, new Rest(server).get("/openapi.json").statusCode());
    } finally {
      System.clearProperty(TranscodingProtocol.OPENAPI_PROPERTY);
    }
  }

  /** swagger-parser validates it (schema and references) or the test fails with its words. */
  private void assertValid(Path file) throws Exception {
    installPackages();
    Process process =
        new ProcessBuilder("node", "validate.mjs", file.toAbsolutePath().toString())
            .directory(NODE_DIR.toFile())
            .redirectErrorStream(true)
            .start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the validator did not finish");
    }
    String text = new String(out, StandardCharsets.UTF_8).strip();
    String last = text.substring(text.lastIndexOf('\n') + 1);
    JsonObject result = JsonParser.parseString(last).getAsJsonObject();
    assertTrue(result.get("valid").getAsBoolean(), text);
  }

  /** npm ci, unless node_modules is there and newer than the lock file. */
  private static void installPackages() throws IOException, InterruptedException {
    Path installed = NODE_DIR.resolve("node_modules").resolve(".package-lock.json");
    if (Files.exists(installed)
        && Files.getLastModifiedTime(installed)
                .compareTo(Files.getLastModifiedTime(NODE_DIR.resolve("package-lock.json")))
            >= 0) {
      return;
    }
    Process npm =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
            .directory(NODE_DIR.toFile())
            .redirectErrorStream(true)
            .start();
    byte[] out = npm.getInputStream().readAllBytes();
    if (!npm.waitFor(300, TimeUnit.SECONDS) || npm.exitValue() != 0) {
      npm.destroyForcibly();
      throw new AssertionError("npm ci failed: " + new String(out, StandardCharsets.UTF_8));
    }
  }
}
