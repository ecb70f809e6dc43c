package dev.strand.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Generates every test proto in-process and compares the output with the golden files. */
class GoldenTest {

  @Test
  void generatedFilesMatchGoldenFiles() throws Exception {
    CodeGeneratorResponse response = StrandGenerator.generate(Protoc.run().request());
    assertFalse(response.hasError(), response.getError());
    GoldenFiles.check(contents(response));
  }

  @Test
  void declaresProto3OptionalAndEditions() throws Exception {
    CodeGeneratorResponse response = StrandGenerator.generate(Protoc.run().request());
    long expected =
        CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL_VALUE
            | CodeGeneratorResponse.Feature.FEATURE_SUPPORTS_EDITIONS_VALUE;
    assertEquals(expected, response.getSupportedFeatures());
  }

  static Map<String, String> contents(CodeGeneratorResponse response) {
    Map<String, String> files = new TreeMap<>();
    for (CodeGeneratorResponse.File file : response.getFileList()) {
      files.put(file.getName(), file.getContent());
    }
    return files;
  }
}
