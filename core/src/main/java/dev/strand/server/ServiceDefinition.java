package dev.strand.server;

import dev.strand.MethodDescriptor;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A service as the server sees it: a name, its methods and their handlers. Generated code builds
 * one; so can a person, for a service without a .proto.
 */
public final class ServiceDefinition {
  private final String name;
  private final Map<String, ServerMethod<?, ?>> methods;
  private final Object schemaDescriptor;

  private ServiceDefinition(
      String name, Map<String, ServerMethod<?, ?>> methods, Object schemaDescriptor) {
    this.name = name;
    this.methods = Collections.unmodifiableMap(methods);
    this.schemaDescriptor = schemaDescriptor;
  }

  public static Builder builder(String serviceName) {
    return new Builder(serviceName);
  }

  public String name() {
    return name;
  }

  public Collection<ServerMethod<?, ?>> methods() {
    return methods.values();
  }

  /** The method with this full name ({@code package.Service/Method}), or null. */
  public ServerMethod<?, ?> method(String fullMethodName) {
    return methods.get(fullMethodName);
  }

  /** An IDL-specific description (a protobuf FileDescriptor holder) for reflection, or null. */
  public Object schemaDescriptor() {
    return schemaDescriptor;
  }

  /** A copy whose every handler is wrapped by the given interceptors. */
  public ServiceDefinition intercept(ServerInterceptor... interceptors) {
    Builder b = new Builder(name).schemaDescriptor(schemaDescriptor);
    for (ServerMethod<?, ?> m : methods.values()) {
      b.add(ServerInterceptors.wrap(m, interceptors));
    }
    return b.build();
  }

  /** Assembles a ServiceDefinition. */
  public static final class Builder {
    private final String name;
    private final Map<String, ServerMethod<?, ?>> methods = new LinkedHashMap<>();
    private Object schemaDescriptor;

    private Builder(String name) {
      if (name == null || name.isEmpty() || name.contains("/")) {
        throw new IllegalArgumentException("invalid service name '" + name + "'");
      }
      this.name = name;
    }

    public <ReqT, RespT> Builder method(
        MethodDescriptor<ReqT, RespT> descriptor, ServerCallHandler<ReqT, RespT> handler) {
      return add(new ServerMethod<>(descriptor, handler));
    }

    public Builder add(ServerMethod<?, ?> method) {
      MethodDescriptor<?, ?> d = method.descriptor();
      if (!d.serviceName().equals(name)) {
        throw new IllegalArgumentException(
            "method " + d.fullName() + " does not belong to service " + name);
      }
      if (methods.putIfAbsent(d.fullName(), method) != null) {
        throw new IllegalArgumentException("method " + d.fullName() + " added twice");
      }
      return this;
    }

    public Builder schemaDescriptor(Object descriptor) {
      this.schemaDescriptor = descriptor;
      return this;
    }

    public ServiceDefinition build() {
      return new ServiceDefinition(name, new LinkedHashMap<>(methods), schemaDescriptor);
    }
  }
}
