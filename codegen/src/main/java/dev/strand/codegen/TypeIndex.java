package dev.strand.codegen;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every proto message in a request, by fully-qualified proto name, mapped to the Java class protoc
 * generates for it; and, per Java package, the class names already taken there.
 */
final class TypeIndex {
  private final Map<String, JavaType> messages = new HashMap<>();
  private final Map<String, Set<String>> protocClasses = new HashMap<>();
  private final Map<String, Set<String>> services = new HashMap<>();

  /** Indexes all files; protoc sends every file a generated file depends on, imports included. */
  TypeIndex(List<FileDescriptorProto> files) {
    for (FileDescriptorProto file : files) {
      index(file);
    }
  }

  /** The Java class for a proto type name as it appears in a method ({@code .pkg.Message}). */
  JavaType message(String protoTypeName) {
    JavaType type = messages.get(protoTypeName);
    if (type == null) {
      throw new IllegalArgumentException("unknown message type " + protoTypeName);
    }
    return type;
  }

  /**
   * The names, in lower case, of the messages, enums and outer classes that protoc generates in a
   * Java package. Lower case because two classes whose names differ only in case cannot share a
   * package on a case-insensitive file system.
   */
  Set<String> protocClassNames(String javaPackage) {
    return protocClasses.getOrDefault(javaPackage, Set.of());
  }

  /** The names, in lower case, of the services whose Java package this is. */
  Set<String> serviceNames(String javaPackage) {
    return services.getOrDefault(javaPackage, Set.of());
  }

  private void index(FileDescriptorProto file) {
    String javaPackage = JavaFileNaming.javaPackage(file);
    String outer = JavaFileNaming.outerClassName(file);
    boolean fileDeprecated = file.getOptions().getDeprecated();
    String protoPrefix = file.getPackage().isEmpty() ? "." : "." + file.getPackage() + ".";
    Set<String> taken = protocClasses.computeIfAbsent(javaPackage, p -> new HashSet<>());
    taken.add(lower(outer));
    for (DescriptorProto message : file.getMessageTypeList()) {
      boolean nested = JavaFileNaming.nestsInOuterClass(file, message);
      String javaName = nested ? outer + "." + message.getName() : message.getName();
      index(message, protoPrefix, javaPackage, javaName, nested && fileDeprecated);
      taken.add(lower(message.getName()));
    }
    for (EnumDescriptorProto e : file.getEnumTypeList()) {
      taken.add(lower(e.getName()));
    }
    for (ServiceDescriptorProto service : file.getServiceList()) {
      services.computeIfAbsent(javaPackage, p -> new HashSet<>()).add(lower(service.getName()));
    }
  }

  private void index(
      DescriptorProto message,
      String protoPrefix,
      String javaPackage,
      String javaName,
      boolean enclosingDeprecated) {
    boolean deprecated = enclosingDeprecated || message.getOptions().getDeprecated();
    String protoName = protoPrefix + message.getName();
    messages.put(protoName, new JavaType(javaPackage, javaName, deprecated));
    for (DescriptorProto nested : message.getNestedTypeList()) {
      index(nested, protoName + ".", javaPackage, javaName + "." + nested.getName(), deprecated);
    }
  }

  static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
