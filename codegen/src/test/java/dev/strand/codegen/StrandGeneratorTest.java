package dev.strand.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import org.junit.jupiter.api.Test;

class StrandGeneratorTest {

  @Test
  void unknownTypesAreReportedAsThePluginError() {
    FileDescriptorProto file =
        FileDescriptorProto.newBuilder()
            .setName("broken.proto")
            .setPackage("broken")
            .addService(
                ServiceDescriptorProto.newBuilder()
                    .setName("Broken")
                    .addMethod(
                        MethodDescriptorProto.newBuilder()
                            .setName("Call")
                            .setInputType(".broken.Missing")
                            .setOutputType(".broken.Missing")))
            .build();
    CodeGeneratorResponse response =
        StrandGenerator.generate(
            CodeGeneratorRequest.newBuilder()
                .addFileToGenerate("broken.proto")
                .addProtoFile(file)
                .build());
    assertTrue(response.getError().contains(".broken.Missing"), response.getError());
    assertEquals(0, response.getFileCount());
  }

  @Test
  void aServiceInTheUnnamedPackageGetsAFileAtTheRootAndDottedNames() {
    FileDescriptorProto file =
        FileDescriptorProto.newBuilder()
            .setName("bare.proto")
            .addMessageType(DescriptorProto.newBuilder().setName("Msg"))
            .addService(
                ServiceDescriptorProto.newBuilder()
                    .setName("Bare")
                    .addMethod(
                        MethodDescriptorProto.newBuilder()
                            .setName("Call")
                            .setInputType(".Msg")
                            .setOutputType(".Msg")))
            .build();
    CodeGeneratorResponse response =
        StrandGenerator.generate(
            CodeGeneratorRequest.newBuilder()
                .addFileToGenerate("bare.proto")
                .addProtoFile(file)
                .build());
    assertEquals("Bare.java", response.getFile(0).getName());
    String content = response.getFile(0).getContent();
    assertTrue(content.contains("SERVICE_NAME = \"Bare\""), content);
    assertTrue(content.contains("\"Bare/Call\""), content);
    assertTrue(content.contains("BareOuterClass.Msg.getDefaultInstance()"), content);
  }
}
