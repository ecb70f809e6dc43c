package dev.strand.codegen;

import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.JavaFeaturesProto;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse.Feature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * The protoc plugin: reads a CodeGeneratorRequest on stdin and answers with one Java file per
 * service in the files protoc asks for. Message classes are protoc's own Java output; the generated
 * services refer to them.
 */
public final class StrandGenerator {
  private StrandGenerator() {}

  public static void main(String[] args) throws IOException {
    CodeGeneratorResponse response = generate(readRequest(System.in));
    OutputStream out = System.out;
    response.writeTo(out);
    out.flush();
  }

  /**
   * Parses a request, knowing the Java features extension: editions files carry {@code
   * nest_in_file_class} there, and it decides where protoc put a message's class.
   */
  public static CodeGeneratorRequest readRequest(InputStream in) throws IOException {
    return CodeGeneratorRequest.parseFrom(in, extensionRegistry());
  }

  /** A registry that knows the Java features extension of {@code FeatureSet}. */
  public static ExtensionRegistry extensionRegistry() {
    // protobuf-java 4.36 fails if JavaFeaturesProto initializes before DescriptorProtos (the
    // latter resolves Java features while initializing), so initialize them in that order.
    DescriptorProtos.getDescriptor();
    ExtensionRegistry registry = ExtensionRegistry.newInstance();
    JavaFeaturesProto.registerAllExtensions(registry);
    return registry;
  }

  /** Generates the services of every file to generate; problems come back as the error. */
  public static CodeGeneratorResponse generate(CodeGeneratorRequest request) {
    CodeGeneratorResponse.Builder response =
        CodeGeneratorResponse.newBuilder()
            .setSupportedFeatures(
                Feature.FEATURE_PROTO3_OPTIONAL_VALUE | Feature.FEATURE_SUPPORTS_EDITIONS_VALUE)
            .setMinimumEdition(Edition.EDITION_PROTO2_VALUE)
            .setMaximumEdition(Edition.EDITION_2024_VALUE);
    try {
      Map<String, FileDescriptorProto> files = new HashMap<>();
      for (FileDescriptorProto file : request.getProtoFileList()) {
        files.put(file.getName(), file);
      }
      ServiceModelBuilder models =
          new ServiceModelBuilder(new TypeIndex(request.getProtoFileList()));
      for (String name : request.getFileToGenerateList()) {
        FileDescriptorProto file = files.get(name);
        if (file == null) {
          throw new IllegalArgumentException("protoc sent no descriptor for " + name);
        }
        for (ServiceModel service : models.services(file)) {
          response
              .addFileBuilder()
              .setName(service.outputPath())
              .setContent(ServiceFile.render(service));
        }
      }
    } catch (RuntimeException e) {
      // protoc shows this to the user as the plugin's error and fails the build.
      response.clearFile().setError("strand: " + e.getMessage());
    }
    return response.build();
  }
}
