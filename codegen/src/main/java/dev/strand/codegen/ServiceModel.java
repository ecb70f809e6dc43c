package dev.strand.codegen;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One service, as the generated file presents it.
 *
 * @param protoFile the .proto file that declares it, as protoc names it
 * @param protoName its fully-qualified proto name ({@code routeguide.RouteGuide})
 * @param protoSimpleName its name without the package
 * @param javaPackage the package of the generated interface
 * @param interfaceName the generated interface's simple name
 * @param fileClass the outer class protoc generates for the .proto file, for its descriptor
 * @param comment the service's .proto comment, or empty
 */
record ServiceModel(
    String protoFile,
    String protoName,
    String protoSimpleName,
    String javaPackage,
    String interfaceName,
    JavaType fileClass,
    String comment,
    boolean deprecated,
    List<MethodModel> methods) {

  /** The generated file's path, as protoc wants it in the response. */
  String outputPath() {
    String dir = javaPackage.isEmpty() ? "" : javaPackage.replace('.', '/') + "/";
    return dir + interfaceName + ".java";
  }

  /** Every message class the file names, in order of first mention. */
  List<JavaType> messageTypes() {
    Set<JavaType> types = new LinkedHashSet<>();
    for (MethodModel method : methods) {
      types.add(method.request());
      types.add(method.response());
    }
    return new ArrayList<>(types);
  }

  /** Whether naming the classes this file uses would draw deprecation warnings. */
  boolean usesDeprecatedTypes() {
    return fileClass.deprecated() || messageTypes().stream().anyMatch(JavaType::deprecated);
  }
}
