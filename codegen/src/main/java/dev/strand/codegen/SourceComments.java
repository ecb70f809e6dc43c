package dev.strand.codegen;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo.Location;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The comments written in a .proto file, found by descriptor path as protoc records them in
 * SourceCodeInfo (a service is {@code [6, i]}, its methods {@code [6, i, 2, j]}).
 */
final class SourceComments {
  static final int FILE_SERVICE_FIELD = 6;
  static final int SERVICE_METHOD_FIELD = 2;

  private final Map<List<Integer>, Location> byPath = new HashMap<>();

  SourceComments(FileDescriptorProto file) {
    for (Location location : file.getSourceCodeInfo().getLocationList()) {
      byPath.putIfAbsent(location.getPathList(), location);
    }
  }

  String service(int serviceIndex) {
    return at(List.of(FILE_SERVICE_FIELD, serviceIndex));
  }

  String method(int serviceIndex, int methodIndex) {
    return at(List.of(FILE_SERVICE_FIELD, serviceIndex, SERVICE_METHOD_FIELD, methodIndex));
  }

  /**
   * The comment before the element, or failing that the one after it on the same line ({@code rpc
   * Ping(A) returns (B); // like this}); empty if there is neither.
   */
  private String at(List<Integer> path) {
    Location location = byPath.get(path);
    if (location == null) {
      return "";
    }
    if (!location.getLeadingComments().isBlank()) {
      return location.getLeadingComments();
    }
    return location.getTrailingComments().isBlank() ? "" : location.getTrailingComments();
  }
}
