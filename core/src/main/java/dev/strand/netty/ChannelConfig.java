package dev.strand.netty;

import dev.strand.client.ClientInterceptor;
import java.nio.file.Path;
import java.util.List;

/** Everything a channel was built with. */
public record ChannelConfig(
    String target,
    boolean tls,
    Path trustedCa,
    Path clientCertChain,
    Path clientKey,
    String authorityOverride,
    String userAgent,
    int maxInboundMessageSize,
    int maxHeaderListSize,
    int initialStreamWindow,
    List<ClientInterceptor> interceptors,
    String compression,
    java.time.Duration defaultTimeout,
    dev.strand.client.Backoff backoff,
    java.time.Duration keepAliveTime,
    java.time.Duration keepAliveTimeout,
    boolean keepAliveWithoutCalls) {}
