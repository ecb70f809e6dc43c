package dev.strand.web.transcoding.message;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;

/** JSON text to a tree, strictly: one RFC 8259 value and nothing after it. */
final class StrictJson {
  private StrictJson() {}

  static JsonElement parse(String text) throws BadRequestException {
    JsonReader reader = new JsonReader(new StringReader(text));
    reader.setStrictness(Strictness.STRICT);
    try {
      JsonElement element = JsonParser.parseReader(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new BadRequestException("malformed JSON: more after the value");
      }
      return element;
    } catch (JsonParseException | IOException | IllegalStateException e) {
      throw new BadRequestException("malformed JSON: " + e.getMessage());
    }
  }
}
