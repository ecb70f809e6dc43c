package dev.strand.codegen;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides how generated code spells each class it names: by simple name with an import where that
 * is unambiguous, fully qualified where it is not. Message classes are planned up front, so the
 * choice does not depend on which method happens to mention a class first.
 */
final class Imports {
  private final String ownPackage;
  private final Set<String> reservedSimpleNames = new HashSet<>();
  private final Map<JavaType, String> messageSpellings = new HashMap<>();
  private final Set<String> used = new TreeSet<>();

  /**
   * @param ownPackage the generated file's package
   * @param ownClass the generated interface's name
   * @param messages every message class the file will name
   */
  Imports(String ownPackage, String ownClass, Collection<JavaType> messages) {
    this.ownPackage = ownPackage;
    reservedSimpleNames.add(ownClass);
    reservedSimpleNames.addAll(RuntimeTypes.NESTED_CLASSES);
    reservedSimpleNames.addAll(RuntimeTypes.JAVA_LANG_USED);
    for (String runtime : RuntimeTypes.ALL) {
      reservedSimpleNames.add(RuntimeTypes.simpleName(runtime));
    }
    planMessages(messages);
  }

  private void planMessages(Collection<JavaType> messages) {
    Map<String, Set<JavaType>> bySimpleName = new HashMap<>();
    for (JavaType type : messages) {
      bySimpleName.computeIfAbsent(type.simpleName(), n -> new HashSet<>()).add(type);
    }
    for (JavaType type : messages) {
      // Nothing can import from the unnamed package, so its classes keep their dotted names.
      boolean unambiguous = bySimpleName.get(type.simpleName()).size() == 1
          && !reservedSimpleNames.contains(type.simpleName())
          && !type.packageName().isEmpty();
      messageSpellings.put(type, unambiguous ? type.simpleName() : type.qualifiedName());
    }
  }

  /** How to spell a Strand or JDK class from {@link RuntimeTypes}: always its simple name. */
  String runtime(String qualifiedName) {
    used.add(qualifiedName);
    return RuntimeTypes.simpleName(qualifiedName);
  }

  /** How to spell a message class, importing it if it goes by its simple name. */
  String message(JavaType type) {
    String spelling = messageSpellings.get(type);
    if (spelling == null) {
      throw new IllegalStateException("message class was not planned: " + type);
    }
    boolean visibleWithoutImport = type.isTopLevel() && type.packageName().equals(ownPackage);
    if (spelling.equals(type.simpleName()) && !visibleWithoutImport) {
      used.add(type.qualifiedName());
    }
    return spelling;
  }

  /** The import declarations for every class used so far, sorted. */
  List<String> declarations() {
    return used.stream().map(name -> "import " + name + ";").toList();
  }
}
