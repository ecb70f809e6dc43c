package dev.strand.codegen;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FeatureSet;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.JavaFeaturesProto;
import com.google.protobuf.JavaFeaturesProto.JavaFeatures.NestInFileClassFeature.NestInFileClass;

/**
 * Where protoc's Java generator puts a .proto file's classes: the Java package, the name of the
 * file's outer class, and which top-level types are nested inside that class. These rules must
 * match protoc's exactly, since generated services refer to the classes protoc wrote.
 */
final class JavaFileNaming {
  private JavaFileNaming() {}

  /** {@code option java_package}, else the proto package. */
  static String javaPackage(FileDescriptorProto file) {
    if (file.getOptions().hasJavaPackage()) {
      return file.getOptions().getJavaPackage();
    }
    return file.getPackage();
  }

  /**
   * {@code option java_outer_classname}, else the file name in CamelCase. Before edition 2024 the
   * default gets an {@code OuterClass} suffix when a type in the file has the same name; from
   * edition 2024 on it always ends in {@code Proto} instead.
   */
  static String outerClassName(FileDescriptorProto file) {
    if (file.getOptions().hasJavaOuterClassname()) {
      return file.getOptions().getJavaOuterClassname();
    }
    String name = CaseFormat.fileClassName(file.getName());
    if (usesEdition2024Rules(file)) {
      return name + "Proto";
    }
    return declaresType(file, name) ? name + "OuterClass" : name;
  }

  /** Whether a top-level message's class lives inside the file's outer class. */
  static boolean nestsInOuterClass(FileDescriptorProto file, DescriptorProto topLevel) {
    return nests(file, topLevel.getOptions().getFeatures());
  }

  /** Whether a top-level enum's class lives inside the file's outer class. */
  static boolean nestsInOuterClass(FileDescriptorProto file, EnumDescriptorProto topLevel) {
    return nests(file, topLevel.getOptions().getFeatures());
  }

  private static boolean nests(FileDescriptorProto file, FeatureSet typeFeatures) {
    if (!usesEdition2024Rules(file)) {
      return !file.getOptions().getJavaMultipleFiles();
    }
    // From edition 2024 the java_multiple_files option is gone; each type says for itself,
    // defaulting to a file of its own.
    NestInFileClass nest = typeFeatures.getExtension(JavaFeaturesProto.java_).getNestInFileClass();
    return nest == NestInFileClass.YES;
  }

  private static boolean usesEdition2024Rules(FileDescriptorProto file) {
    return "editions".equals(file.getSyntax())
        && file.getEdition().getNumber() >= Edition.EDITION_2024.getNumber();
  }

  /** protoc's clash check: any message (at any depth), enum or service with exactly this name. */
  private static boolean declaresType(FileDescriptorProto file, String name) {
    for (EnumDescriptorProto e : file.getEnumTypeList()) {
      if (e.getName().equals(name)) {
        return true;
      }
    }
    for (var service : file.getServiceList()) {
      if (service.getName().equals(name)) {
        return true;
      }
    }
    for (DescriptorProto message : file.getMessageTypeList()) {
      if (declaresType(message, name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean declaresType(DescriptorProto message, String name) {
    if (message.getName().equals(name)) {
      return true;
    }
    for (EnumDescriptorProto e : message.getEnumTypeList()) {
      if (e.getName().equals(name)) {
        return true;
      }
    }
    for (DescriptorProto nested : message.getNestedTypeList()) {
      if (declaresType(nested, name)) {
        return true;
      }
    }
    return false;
  }
}
