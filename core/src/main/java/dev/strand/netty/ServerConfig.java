package dev.strand.netty;

import dev.strand.server.ServerMethod;
import dev.strand.server.ServiceDefinition;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/** Everything a server was built with; the builder validates, this just carries. */
public record ServerConfig(
    SocketAddress address,
    Map<String, ServerMethod<?, ?>> methods,
    List<ServiceDefinition> services,
    Executor blockingExecutor,
    Path certChain,
    Path privateKey,
    Path clientCa,
    boolean requireClientAuth,
    int maxInboundMessageSize,
    int maxHeaderListSize,
    int maxConcurrentStreams,
    int initialStreamWindow,
    String compression,
    List<dev.strand.server.ShutdownListener> shutdownListeners,
    ConnectionPolicy connectionPolicy,
    int maxBlockingCallsPerConnection) {}
