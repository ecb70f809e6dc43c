package dev.strand.codegen;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Chooses the Java names of a service's rpcs. An underscore is appended to a name that is a Java
 * keyword, that would collide with a member every generated service has, or that an earlier rpc
 * already took ({@code Foo} and {@code foo} are distinct rpcs but the same Java method).
 */
final class MemberNames {
  private MemberNames() {}

  /** Members of the generated types, and of Object, that an rpc must not shadow or overload. */
  private static final Set<String> GENERATED_MEMBERS =
      Set.of(
          "bindService",
          "client",
          "async",
          "withOptions",
          "withDeadline",
          "withTimeout",
          "equals",
          "hashCode",
          "toString",
          "getClass",
          "clone",
          "finalize",
          "notify",
          "notifyAll",
          "wait");

  /** The names of the fields in every {@code Methods} class. */
  private static final Set<String> GENERATED_CONSTANTS = Set.of("SERVICE_NAME");

  static List<String> methodNames(List<String> protoNames) {
    Set<String> taken = new HashSet<>(GENERATED_MEMBERS);
    List<String> names = new ArrayList<>();
    for (String protoName : protoNames) {
      String name = CaseFormat.lowerCamel(protoName);
      if (name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))) {
        name = "rpc" + name;
      }
      while (JavaKeywords.isReserved(name) || taken.contains(name)) {
        name += "_";
      }
      taken.add(name);
      names.add(name);
    }
    return names;
  }

  static List<String> constantNames(List<String> protoNames) {
    Set<String> taken = new HashSet<>(GENERATED_CONSTANTS);
    List<String> names = new ArrayList<>();
    for (String protoName : protoNames) {
      String name = CaseFormat.upperSnake(protoName);
      if (name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))) {
        name = "RPC_" + name;
      }
      while (taken.contains(name)) {
        name += "_";
      }
      taken.add(name);
      names.add(name);
    }
    return names;
  }
}
