package dev.strand.codegen;

import java.util.HashSet;
import java.util.Set;

/**
 * Chooses the name of a service's generated interface: the service's own name, unless a class
 * protoc generates in the same Java package has it, or a name the file must import or nest does.
 * Then {@code Service} is appended, and underscores after that until the name is free.
 */
final class ServiceClassNames {
  private ServiceClassNames() {}

  static String interfaceName(String serviceName, String javaPackage, TypeIndex index) {
    Set<String> protocClasses = index.protocClassNames(javaPackage);
    if (!protocClasses.contains(TypeIndex.lower(serviceName)) && !clashesInFile(serviceName)) {
      return serviceName;
    }
    // A renamed service must also keep clear of the services that keep their own names.
    Set<String> taken = new HashSet<>(protocClasses);
    taken.addAll(index.serviceNames(javaPackage));
    String name = serviceName + "Service";
    while (taken.contains(TypeIndex.lower(name)) || clashesInFile(name)) {
      name += "_";
    }
    return name;
  }

  /**
   * A top-level class may not share its name with a class it imports or nests, and must not hide a
   * java.lang class its own file uses.
   */
  private static boolean clashesInFile(String name) {
    if (RuntimeTypes.NESTED_CLASSES.contains(name) || RuntimeTypes.JAVA_LANG_USED.contains(name)) {
      return true;
    }
    return RuntimeTypes.ALL.stream().anyMatch(type -> RuntimeTypes.simpleName(type).equals(name));
  }
}
