package dev.strand.opentelemetry.metrics;

import dev.strand.Status;
import io.opentelemetry.api.common.Attributes;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attribute sets a channel's or a server's calls record with, made once per method and status
 * instead of per call: a call then records without building any.
 */
final class AttributeSets {
  /** Past this many methods (a proxy forwarding arbitrary names), sets are made per call. */
  private static final int MAX_METHODS = 1_000;

  private static final Status.Code[] CODES = Status.Code.values();

  private final String target;
  private final ConcurrentHashMap<String, Method> methods = new ConcurrentHashMap<>();

  /** {@code target}: the channel's, or null on a server (whose metrics have none). */
  AttributeSets(String target) {
    this.target = target;
  }

  Method of(String method) {
    Method sets = methods.get(method);
    if (sets == null) {
      sets = new Method(method, target);
      if (methods.size() < MAX_METHODS) {
        Method raced = methods.putIfAbsent(method, sets);
        if (raced != null) {
          sets = raced;
        }
      }
    }
    return sets;
  }

  /** One method's sets: without a status (what is counted at the start), and with each. */
  static final class Method {
    final Attributes started;
    private final Attributes[] ended = new Attributes[CODES.length];

    Method(String method, String target) {
      started =
          target == null
              ? Attributes.of(Instruments.METHOD, method)
              : Attributes.of(Instruments.METHOD, method, Instruments.TARGET, target);
      for (Status.Code code : CODES) {
        ended[code.ordinal()] = started.toBuilder().put(Instruments.STATUS, code.name()).build();
      }
    }

    Attributes ended(Status status) {
      return ended[status.code().ordinal()];
    }
  }
}
