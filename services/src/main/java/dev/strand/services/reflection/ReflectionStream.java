package dev.strand.services.reflection;

import com.google.protobuf.Descriptors.FileDescriptor;
import dev.strand.Status;
import dev.strand.services.reflection.v1.ErrorResponse;
import dev.strand.services.reflection.v1.ExtensionNumberResponse;
import dev.strand.services.reflection.v1.ExtensionRequest;
import dev.strand.services.reflection.v1.FileDescriptorResponse;
import dev.strand.services.reflection.v1.ListServiceResponse;
import dev.strand.services.reflection.v1.ServerReflectionRequest;
import dev.strand.services.reflection.v1.ServerReflectionResponse;
import dev.strand.services.reflection.v1.ServiceResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The answers of one ServerReflectionInfo stream. It remembers which files it has sent, since the
 * protocol lets a stream skip files the client already has: a tool that asks about ten symbols of
 * one package gets their shared imports once. Used by one thread at a time.
 */
final class ReflectionStream {
  private final DescriptorIndex index;
  private final Set<String> sent = new HashSet<>();

  ReflectionStream(DescriptorIndex index) {
    this.index = index;
  }

  /** Every request gets exactly one response: an answer or an error_response, never both. */
  ServerReflectionResponse answer(ServerReflectionRequest request) {
    ServerReflectionResponse.Builder response =
        ServerReflectionResponse.newBuilder()
            .setValidHost(request.getHost())
            .setOriginalRequest(request);
    switch (request.getMessageRequestCase()) {
      case LIST_SERVICES -> response.setListServicesResponse(listServices());
      case FILE_BY_FILENAME -> {
        FileDescriptor file = index.file(request.getFileByFilename());
        if (file == null) {
          return error(
              response, Status.NOT_FOUND, "file not found: " + request.getFileByFilename());
        }
        response.setFileDescriptorResponse(withDependencies(file));
      }
      case FILE_CONTAINING_SYMBOL -> {
        FileDescriptor file = index.fileContainingSymbol(request.getFileContainingSymbol());
        if (file == null) {
          return error(
              response, Status.NOT_FOUND, "symbol not found: " + request.getFileContainingSymbol());
        }
        response.setFileDescriptorResponse(withDependencies(file));
      }
      case FILE_CONTAINING_EXTENSION -> {
        ExtensionRequest ext = request.getFileContainingExtension();
        FileDescriptor file =
            index.fileContainingExtension(ext.getContainingType(), ext.getExtensionNumber());
        if (file == null) {
          return error(
              response,
              Status.NOT_FOUND,
              "extension not found: "
                  + ext.getContainingType()
                  + " field "
                  + ext.getExtensionNumber());
        }
        response.setFileDescriptorResponse(withDependencies(file));
      }
      case ALL_EXTENSION_NUMBERS_OF_TYPE -> {
        String type = request.getAllExtensionNumbersOfType();
        List<Integer> numbers = index.extensionNumbers(type);
        if (numbers == null) {
          return error(response, Status.NOT_FOUND, "message type not found: " + type);
        }
        response.setAllExtensionNumbersResponse(
            ExtensionNumberResponse.newBuilder()
                .setBaseTypeName(type)
                .addAllExtensionNumber(numbers));
      }
      default -> {
        // Fields we do not know mean a newer kind of request than this server speaks.
        boolean newerKind = !request.getUnknownFields().asMap().isEmpty();
        return error(
            response,
            newerKind ? Status.UNIMPLEMENTED : Status.INVALID_ARGUMENT,
            newerKind ? "request kind not supported" : "request names nothing to look up");
      }
    }
    return response.build();
  }

  private ListServiceResponse listServices() {
    ListServiceResponse.Builder list = ListServiceResponse.newBuilder();
    for (String name : index.serviceNames()) {
      list.addService(ServiceResponse.newBuilder().setName(name));
    }
    return list.build();
  }

  /**
   * The file first, then its transitive imports that this stream has not sent yet. The file itself
   * always goes out, even if sent before: an empty answer would read as "no such file".
   */
  private FileDescriptorResponse withDependencies(FileDescriptor file) {
    FileDescriptorResponse.Builder out = FileDescriptorResponse.newBuilder();
    Set<String> visited = new HashSet<>();
    Deque<FileDescriptor> queue = new ArrayDeque<>();
    queue.add(file);
    while (!queue.isEmpty()) {
      FileDescriptor f = queue.poll();
      if (!visited.add(f.getName())) {
        continue;
      }
      if (sent.add(f.getName()) || f == file) {
        out.addFileDescriptorProto(index.serialized(f));
      }
      queue.addAll(f.getDependencies());
    }
    return out.build();
  }

  private static ServerReflectionResponse error(
      ServerReflectionResponse.Builder response, Status status, String message) {
    return response
        .setErrorResponse(
            ErrorResponse.newBuilder().setErrorCode(status.code().value()).setErrorMessage(message))
        .build();
  }
}
