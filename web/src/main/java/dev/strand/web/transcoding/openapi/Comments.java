package dev.strand.web.transcoding.openapi;

import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The .proto comments of services, methods, messages, enums and fields, where the descriptors kept
 * them: a descriptor set written with {@code --include_source_info} has them; the descriptors
 * generated code embeds do not, so a document made from those has no descriptions.
 */
final class Comments {
  // Field numbers in FileDescriptorProto / DescriptorProto / ServiceDescriptorProto.
  private static final int MESSAGE_TYPE = 4;
  private static final int ENUM_TYPE = 5;
  private static final int SERVICE = 6;
  private static final int FIELD = 2;
  private static final int NESTED_TYPE = 3;
  private static final int NESTED_ENUM = 4;
  private static final int METHOD = 2;

  private final Map<FileDescriptor, Map<List<Integer>, String>> byFile = new HashMap<>();

  String of(ServiceDescriptor service) {
    return lookup(service.getFile(), List.of(SERVICE, service.getIndex()));
  }

  String of(MethodDescriptor method) {
    return lookup(
        method.getFile(),
        List.of(SERVICE, method.getService().getIndex(), METHOD, method.getIndex()));
  }

  String of(Descriptor message) {
    return lookup(message.getFile(), path(message));
  }

  String of(EnumDescriptor type) {
    List<Integer> path;
    if (type.getContainingType() == null) {
      path = List.of(ENUM_TYPE, type.getIndex());
    } else {
      path = new ArrayList<>(path(type.getContainingType()));
      path.add(NESTED_ENUM);
      path.add(type.getIndex());
    }
    return lookup(type.getFile(), path);
  }

  String of(FieldDescriptor field) {
    if (field.isExtension()) {
      return null;
    }
    List<Integer> path = new ArrayList<>(path(field.getContainingType()));
    path.add(FIELD);
    path.add(field.getIndex());
    return lookup(field.getFile(), path);
  }

  private static List<Integer> path(Descriptor message) {
    if (message.getContainingType() == null) {
      return List.of(MESSAGE_TYPE, message.getIndex());
    }
    List<Integer> path = new ArrayList<>(path(message.getContainingType()));
    path.add(NESTED_TYPE);
    path.add(message.getIndex());
    return path;
  }

  private String lookup(FileDescriptor file, List<Integer> path) {
    String comment = byFile.computeIfAbsent(file, Comments::index).get(path);
    return comment == null || comment.isBlank() ? null : comment.strip();
  }

  private static Map<List<Integer>, String> index(FileDescriptor file) {
    Map<List<Integer>, String> comments = new HashMap<>();
    SourceCodeInfo info = file.toProto().getSourceCodeInfo();
    for (SourceCodeInfo.Location location : info.getLocationList()) {
      if (location.hasLeadingComments()) {
        comments.put(List.copyOf(location.getPathList()), clean(location.getLeadingComments()));
      }
    }
    return comments;
  }

  /** One space after "//" is the comment's own; the lines are kept. */
  private static String clean(String comment) {
    StringBuilder out = new StringBuilder();
    for (String line : comment.split("\n", -1)) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(line.startsWith(" ") ? line.substring(1) : line);
    }
    return out.toString();
  }
}
