package dev.strand.codegen;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import java.util.ArrayList;
import java.util.List;

/** Reads a service out of its file descriptor and settles every name the generated file uses. */
final class ServiceModelBuilder {
  private final TypeIndex index;

  ServiceModelBuilder(TypeIndex index) {
    this.index = index;
  }

  List<ServiceModel> services(FileDescriptorProto file) {
    SourceComments comments = new SourceComments(file);
    List<ServiceModel> services = new ArrayList<>();
    for (int i = 0; i < file.getServiceCount(); i++) {
      services.add(service(file, i, comments));
    }
    return services;
  }

  private ServiceModel service(
      FileDescriptorProto file, int serviceIndex, SourceComments comments) {
    ServiceDescriptorProto service = file.getService(serviceIndex);
    String javaPackage = JavaFileNaming.javaPackage(file);
    String protoName =
        file.getPackage().isEmpty()
            ? service.getName()
            : file.getPackage() + "." + service.getName();
    JavaType fileClass =
        new JavaType(
            javaPackage, JavaFileNaming.outerClassName(file), file.getOptions().getDeprecated());

    List<String> protoMethodNames =
        service.getMethodList().stream().map(MethodDescriptorProto::getName).toList();
    List<String> javaNames = MemberNames.methodNames(protoMethodNames);
    List<String> constantNames = MemberNames.constantNames(protoMethodNames);
    List<MethodModel> methods = new ArrayList<>();
    for (int j = 0; j < service.getMethodCount(); j++) {
      MethodDescriptorProto method = service.getMethod(j);
      methods.add(
          new MethodModel(
              method.getName(),
              javaNames.get(j),
              constantNames.get(j),
              CallShape.of(method.getClientStreaming(), method.getServerStreaming()),
              index.message(method.getInputType()),
              index.message(method.getOutputType()),
              comments.method(serviceIndex, j),
              method.getOptions().getDeprecated()));
    }
    return new ServiceModel(
        file.getName(),
        protoName,
        service.getName(),
        javaPackage,
        ServiceClassNames.interfaceName(service.getName(), javaPackage, index),
        fileClass,
        comments.service(serviceIndex),
        service.getOptions().getDeprecated(),
        methods);
  }
}
