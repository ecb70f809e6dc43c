package dev.strand.codegen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns proto names into Java spellings: file class names, method names, constants. */
final class CaseFormat {
  private CaseFormat() {}

  /**
   * protoc's Java rule for a file's default class name: keep letters and digits, drop everything
   * else, and capitalize the first letter and every letter after a dropped character or a digit.
   * {@code foo_bar-2x.proto} becomes {@code FooBar2X}. It must match protoc exactly, or generated
   * code would point at an outer class that does not exist.
   */
  static String fileClassName(String fileName) {
    String base = fileName.substring(fileName.lastIndexOf('/') + 1);
    if (base.endsWith(".protodevel")) {
      base = base.substring(0, base.length() - ".protodevel".length());
    } else if (base.endsWith(".proto")) {
      base = base.substring(0, base.length() - ".proto".length());
    }
    StringBuilder out = new StringBuilder(base.length());
    boolean capitalizeNext = true;
    for (int i = 0; i < base.length(); i++) {
      char c = base.charAt(i);
      if (c >= 'a' && c <= 'z') {
        out.append(capitalizeNext ? (char) (c - 'a' + 'A') : c);
        capitalizeNext = false;
      } else if (c >= 'A' && c <= 'Z') {
        out.append(c);
        capitalizeNext = false;
      } else if (c >= '0' && c <= '9') {
        out.append(c);
        capitalizeNext = true;
      } else {
        capitalizeNext = true;
      }
    }
    return out.toString();
  }

  /**
   * {@code GetFeature} to {@code getFeature}, {@code HTTPGet} to {@code httpGet}, {@code list_all}
   * to {@code listAll}.
   */
  static String lowerCamel(String protoName) {
    StringBuilder out = new StringBuilder(protoName.length());
    for (String word : words(protoName)) {
      String lower = word.toLowerCase(Locale.ROOT);
      if (out.length() == 0) {
        out.append(lower);
      } else {
        out.append(Character.toUpperCase(lower.charAt(0))).append(lower, 1, lower.length());
      }
    }
    return out.toString();
  }

  /** {@code GetFeature} to {@code GET_FEATURE}, {@code HTTPGet} to {@code HTTP_GET}. */
  static String upperSnake(String protoName) {
    return String.join("_", words(protoName)).toUpperCase(Locale.ROOT);
  }

  /**
   * Splits a name into words at underscores and at case changes. A run of capitals is one word (an
   * acronym), except that its last capital starts the next word when a lower-case letter follows:
   * {@code HTTPServer} is {@code HTTP}, {@code Server}. Digits stay with the word before them.
   */
  static List<String> words(String name) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '_') {
        flush(word, words);
        continue;
      }
      if (Character.isUpperCase(c) && word.length() > 0) {
        char prev = name.charAt(i - 1);
        boolean nextIsLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
        if (Character.isLowerCase(prev)
            || Character.isDigit(prev)
            || (Character.isUpperCase(prev) && nextIsLower)) {
          flush(word, words);
        }
      }
      word.append(c);
    }
    flush(word, words);
    return words;
  }

  private static void flush(StringBuilder word, List<String> words) {
    if (word.length() > 0) {
      words.add(word.toString());
      word.setLength(0);
    }
  }
}
