package dev.strand.web.transcoding.path;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the binding for a request's method and path among many path templates: a trie keyed by
 * segment, literal children first, then {@code *}, then {@code **}, so a request costs a walk down
 * its own segments and no regular expression. Built once at server start; read-only afterwards, so
 * safe to share between event loops.
 *
 * @param <T> what a binding leads to (a method and its rule)
 */
public final class PathMatcher<T> {
  private final Node<T> root = new Node<>();

  /** What {@link #match} found. */
  public sealed interface Result<T> {}

  /** The path and method matched: the value and each variable's decoded text, in order. */
  public record Found<T>(T value, PathTemplate template, List<String> values)
      implements Result<T> {}

  /** The path matched, the method did not: the methods that would have. */
  public record WrongMethod<T>(Set<String> allowed) implements Result<T> {}

  /** No template matches the path. */
  public record NotFound<T>() implements Result<T> {}

  /** A template already bound to the same method and the same shape as the one being added. */
  public static final class ConflictException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient Object existing;

    ConflictException(String message, Object existing) {
      super(message);
      this.existing = existing;
    }

    /** The value that was there first. */
    public Object existing() {
      return existing;
    }
  }

  /**
   * Binds {@code httpMethod} (upper case: GET, POST, a custom verb...) on {@code template} to
   * {@code value}; throws {@link ConflictException} if the same method and template shape (the same
   * literals, wildcards and verb; variable names do not count) is bound already.
   */
  public void add(String httpMethod, PathTemplate template, T value) {
    Node<T> node = root;
    for (String segment : template.segments()) {
      node = node.child(segment);
    }
    Map<String, Entry<T>> byMethod =
        node.terminals.computeIfAbsent(verbKey(template.verb()), k -> new LinkedHashMap<>());
    Entry<T> existing = byMethod.get(httpMethod);
    if (existing != null) {
      throw new ConflictException(
          httpMethod
              + " "
              + template
              + " has the same shape as "
              + httpMethod
              + " "
              + existing.template,
          existing.value);
    }
    byMethod.put(httpMethod, new Entry<>(template, value));
  }

  /** Matches a request; {@code rawPath} is the URL path as sent, percent-encoded, no query. */
  public Result<T> match(String httpMethod, String rawPath) {
    if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      return new NotFound<>();
    }
    String[] segments = rawPath.substring(1).split("/", -1);
    Set<String> allowed = new TreeSet<>();
    String last = segments[segments.length - 1];
    int colon = last.lastIndexOf(':');
    if (colon >= 0) {
      // Try the suffix as a custom verb first; a template without one may still take the colon.
      String[] withoutVerb = segments.clone();
      withoutVerb[segments.length - 1] = last.substring(0, colon);
      Found<T> found = walk(withoutVerb, last.substring(colon + 1), httpMethod, allowed);
      if (found != null) {
        return found;
      }
    }
    Found<T> found = walk(segments, "", httpMethod, allowed);
    if (found != null) {
      return found;
    }
    return allowed.isEmpty() ? new NotFound<>() : new WrongMethod<>(allowed);
  }

  private Found<T> walk(String[] segments, String verb, String httpMethod, Set<String> allowed) {
    try {
      return walk(root, segments, 0, verb, httpMethod, allowed);
    } catch (IllegalArgumentException e) {
      // A malformed percent-escape: no template can match it.
      return null;
    }
  }

  private Found<T> walk(
      Node<T> node, String[] segments, int i, String verb, String httpMethod, Set<String> allowed) {
    if (i == segments.length) {
      Found<T> here = terminal(node, segments, verb, httpMethod, allowed);
      if (here != null) {
        return here;
      }
    } else {
      String segment = segments[i];
      Node<T> literal = node.literals.get(PercentDecoding.decode(segment, false));
      if (literal != null) {
        Found<T> found = walk(literal, segments, i + 1, verb, httpMethod, allowed);
        if (found != null) {
          return found;
        }
      }
      if (node.single != null && !segment.isEmpty()) {
        Found<T> found = walk(node.single, segments, i + 1, verb, httpMethod, allowed);
        if (found != null) {
          return found;
        }
      }
    }
    // '**' takes whatever is left, none included.
    return node.multi == null ? null : terminal(node.multi, segments, verb, httpMethod, allowed);
  }

  private Found<T> terminal(
      Node<T> node, String[] segments, String verb, String httpMethod, Set<String> allowed) {
    Map<String, Entry<T>> byMethod = node.terminals.get(verb);
    if (byMethod == null) {
      return null;
    }
    Entry<T> entry = byMethod.get(httpMethod);
    if (entry == null) {
      allowed.addAll(byMethod.keySet());
      return null;
    }
    return new Found<>(entry.value, entry.template, capture(entry.template, segments));
  }

  /** Each variable's segments, joined and decoded by http.proto's rules. */
  private static List<String> capture(PathTemplate template, String[] segments) {
    List<String> values = new ArrayList<>(template.variables().size());
    for (PathTemplate.Variable v : template.variables()) {
      int end = v.end() == PathTemplate.Variable.TO_END ? segments.length : v.end();
      String raw = String.join("/", Arrays.asList(segments).subList(v.start(), end));
      values.add(PercentDecoding.decode(raw, v.multiSegment()));
    }
    return values;
  }

  private static String verbKey(String verb) {
    return verb == null ? "" : verb;
  }

  private record Entry<T>(PathTemplate template, T value) {}

  private static final class Node<T> {
    final Map<String, Node<T>> literals = new HashMap<>();
    Node<T> single;
    Node<T> multi;
    final Map<String, Map<String, Entry<T>>> terminals = new HashMap<>();

    Node<T> child(String segment) {
      switch (segment) {
        case PathTemplate.SINGLE -> {
          if (single == null) {
            single = new Node<>();
          }
          return single;
        }
        case PathTemplate.MULTI -> {
          if (multi == null) {
            multi = new Node<>();
          }
          return multi;
        }
        default -> {
          return literals.computeIfAbsent(segment, s -> new Node<>());
        }
      }
    }
  }
}
