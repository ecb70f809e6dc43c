package dev.strand.protobuf;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;

/**
 * The protobuf description of a service, attached to its ServiceDefinition so that server
 * reflection can serve the .proto it came from with all its dependencies.
 */
public record ProtoServiceSchema(FileDescriptor file, String serviceName) {

  public ServiceDescriptor service() {
    return file.findServiceByName(serviceName);
  }
}
