package dev.strand.web.transcoding.message;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;

/**
 * JSON text to a tree, strictly: one value and nothing after it. A reader left as it is made is not
 * lenient (JsonParser would make it so), on every Gson version an application may resolve
 * (protobuf-java-util brings 2.8).
 */
final class StrictJson {
  private static final TypeAdapter<JsonElement> TREE = new Gson().getAdapter(JsonElement.class);

  private StrictJson() {}

  /**
   * Checks that the text is one strict JSON value and nothing after it, without building a tree:
   * for text that ProtoJSON's own (lenient) parser reads next.
   */
  static void check(String text) throws BadRequestException {
    JsonReader reader = new JsonReader(new StringReader(text));
    try {
      reader.skipValue();
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new BadRequestException("malformed JSON: more after the value");
      }
    } catch (JsonParseException | IOException | IllegalStateException e) {
      throw new BadRequestException("malformed JSON: " + e.getMessage());
    }
  }

  static JsonElement parse(String text) throws BadRequestException {
    JsonReader reader = new JsonReader(new StringReader(text));
    try {
      JsonElement element = TREE.read(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new BadRequestException("malformed JSON: more after the value");
      }
      return element;
    } catch (JsonParseException | IOException | IllegalStateException e) {
      throw new BadRequestException("malformed JSON: " + e.getMessage());
    }
  }
}
