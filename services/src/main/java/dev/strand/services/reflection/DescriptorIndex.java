package dev.strand.services.reflection;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.strand.protobuf.ProtoServiceSchema;
import dev.strand.server.ServiceDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What reflection knows about one server: the .proto files of its services and everything they
 * import, by file name, by symbol and by extension. Java has no global descriptor pool, so this is
 * the pool: a file nothing served reaches is unknown here.
 *
 * <p>Built once per server (services do not change while it runs) and read-only afterwards, so
 * streams share it without locks.
 */
final class DescriptorIndex {
  private final List<String> serviceNames = new ArrayList<>();
  private final Map<String, FileDescriptor> files = new LinkedHashMap<>();
  private final Map<String, ByteString> serialized = new HashMap<>();
  private final Map<String, FileDescriptor> fileBySymbol = new HashMap<>();
  private final Map<String, Descriptor> messages = new HashMap<>();
  // Extended type's full name -> extension number -> the file that declares the extension.
  private final Map<String, Map<Integer, FileDescriptor>> extensions = new HashMap<>();

  private DescriptorIndex() {}

  /**
   * Indexes the services that carry a protobuf schema. A service without one (built by hand) is
   * left out even of the service list: tools describe every service they list, and one they cannot
   * describe would fail the whole listing.
   */
  static DescriptorIndex of(List<ServiceDefinition> services) {
    DescriptorIndex index = new DescriptorIndex();
    for (ServiceDefinition service : services) {
      if (!(service.schemaDescriptor() instanceof ProtoServiceSchema schema)) {
        continue;
      }
      ServiceDescriptor descriptor = schema.service();
      // A schema naming another service would send tools to the wrong definition.
      if (descriptor == null || !descriptor.getFullName().equals(service.name())) {
        continue;
      }
      index.serviceNames.add(service.name());
      index.addFile(schema.file());
    }
    return index;
  }

  List<String> serviceNames() {
    return Collections.unmodifiableList(serviceNames);
  }

  FileDescriptor file(String name) {
    return files.get(name);
  }

  /** The file that declares a fully-qualified symbol: a message, enum, service, method, ... */
  FileDescriptor fileContainingSymbol(String symbol) {
    return fileBySymbol.get(symbol);
  }

  FileDescriptor fileContainingExtension(String extendedType, int number) {
    return extensions.getOrDefault(extendedType, Map.of()).get(number);
  }

  /** The known extension numbers of a message type, ascending, or null for an unknown type. */
  List<Integer> extensionNumbers(String messageType) {
    if (!messages.containsKey(messageType)) {
      return null;
    }
    return new ArrayList<>(extensions.getOrDefault(messageType, Map.of()).keySet());
  }

  /** The FileDescriptorProto of a file, serialized once for every stream that asks. */
  ByteString serialized(FileDescriptor file) {
    return serialized.get(file.getName());
  }

  private void addFile(FileDescriptor file) {
    // By name: the first file of a name wins, as in any descriptor pool.
    if (files.putIfAbsent(file.getName(), file) != null) {
      return;
    }
    serialized.put(file.getName(), file.toProto().toByteString());
    for (Descriptor message : file.getMessageTypes()) {
      addMessage(file, message);
    }
    for (EnumDescriptor e : file.getEnumTypes()) {
      addEnum(file, e);
    }
    for (FieldDescriptor extension : file.getExtensions()) {
      addExtension(file, extension);
    }
    for (ServiceDescriptor service : file.getServices()) {
      addSymbol(file, service.getFullName());
      for (MethodDescriptor method : service.getMethods()) {
        addSymbol(file, method.getFullName());
      }
    }
    for (FileDescriptor dependency : file.getDependencies()) {
      addFile(dependency);
    }
  }

  private void addMessage(FileDescriptor file, Descriptor message) {
    addSymbol(file, message.getFullName());
    messages.putIfAbsent(message.getFullName(), message);
    for (FieldDescriptor field : message.getFields()) {
      addSymbol(file, field.getFullName());
    }
    for (Descriptor nested : message.getNestedTypes()) {
      addMessage(file, nested);
    }
    for (EnumDescriptor e : message.getEnumTypes()) {
      addEnum(file, e);
    }
    for (FieldDescriptor extension : message.getExtensions()) {
      addExtension(file, extension);
    }
  }

  private void addEnum(FileDescriptor file, EnumDescriptor e) {
    addSymbol(file, e.getFullName());
    for (EnumValueDescriptor value : e.getValues()) {
      addSymbol(file, value.getFullName());
    }
  }

  private void addExtension(FileDescriptor file, FieldDescriptor extension) {
    addSymbol(file, extension.getFullName());
    extensions
        .computeIfAbsent(extension.getContainingType().getFullName(), t -> new TreeMap<>())
        .putIfAbsent(extension.getNumber(), file);
  }

  private void addSymbol(FileDescriptor file, String symbol) {
    fileBySymbol.putIfAbsent(symbol, file);
  }
}
