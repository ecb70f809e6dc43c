package dev.strand.web.transcoding.rules;

import dev.strand.web.transcoding.path.PathMatcher;
import java.util.List;

/** A server's HTTP bindings: matched per request, listed for OpenAPI. Read-only, shared. */
public record HttpRoutes(PathMatcher<HttpBinding> matcher, List<HttpBinding> bindings) {
  public HttpRoutes {
    bindings = List.copyOf(bindings);
  }

  public boolean isEmpty() {
    return bindings.isEmpty();
  }
}
