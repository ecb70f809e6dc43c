package dev.strand.web.transcoding.openapi;

import com.google.api.AnnotationsProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.ExtensionRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the OpenAPI document at build time, from a descriptor set protoc wrote with {@code
 * --include_imports --include_source_info} (so the .proto comments become descriptions):
 *
 * <pre>
 * java -cp ... dev.strand.web.transcoding.openapi.OpenApiWriter descriptors.binpb openapi.json \
 *     [--title TITLE] [--version VERSION] [--service package.Service]...
 * </pre>
 *
 * <p>Without {@code --service}, every service of the set with rules is in the document.
 */
public final class OpenApiWriter {
  private OpenApiWriter() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args.length % 2 != 0) {
      System.err.println(
          "usage: OpenApiWriter DESCRIPTOR_SET OUTPUT.json [--title T] [--version V]"
              + " [--service package.Service]...");
      System.exit(2);
    }
    String title = "API";
    String version = "v1";
    Set<String> only = new HashSet<>();
    for (int i = 2; i < args.length; i += 2) {
      switch (args[i]) {
        case "--title" -> title = args[i + 1];
        case "--version" -> version = args[i + 1];
        case "--service" -> only.add(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<ServiceDescriptor> services = new ArrayList<>();
    for (ServiceDescriptor service : services(Path.of(args[0]))) {
      if (only.isEmpty() || only.contains(service.getFullName())) {
        services.add(service);
      }
    }
    Files.writeString(
        Path.of(args[1]), OpenApiDocument.of(services, title, version), StandardCharsets.UTF_8);
  }

  /** Every service of the set's files, their google.api.http options read as extensions. */
  public static List<ServiceDescriptor> services(Path descriptorSet)
      throws IOException, DescriptorValidationException {
    ExtensionRegistry registry = ExtensionRegistry.newInstance();
    AnnotationsProto.registerAllExtensions(registry);
    FileDescriptorSet set;
    try (InputStream in = Files.newInputStream(descriptorSet)) {
      set = FileDescriptorSet.parseFrom(in, registry);
    }
    Map<String, FileDescriptorProto> protos = new HashMap<>();
    for (FileDescriptorProto file : set.getFileList()) {
      protos.put(file.getName(), file);
    }
    Map<String, FileDescriptor> built = new HashMap<>();
    List<ServiceDescriptor> services = new ArrayList<>();
    for (FileDescriptorProto file : set.getFileList()) {
      services.addAll(build(file.getName(), protos, built).getServices());
    }
    return services;
  }

  private static FileDescriptor build(
      String name, Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built)
      throws DescriptorValidationException {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      throw new IllegalArgumentException(
          "the descriptor set lacks " + name + ": write it with --include_imports");
    }
    List<FileDescriptor> dependencies = new ArrayList<>();
    for (String dependency : proto.getDependencyList()) {
      dependencies.add(build(dependency, protos, built));
    }
    FileDescriptor file =
        FileDescriptor.buildFrom(proto, dependencies.toArray(new FileDescriptor[0]));
    built.put(name, file);
    return file;
  }
}
