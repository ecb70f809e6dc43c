package dev.strand.netty.tls;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * Builds TLS contexts from PEM files. Clients negotiate ALPN "h2", as gRPC requires; servers offer
 * "h2" first and "http/1.1" after it, for browsers calling the web protocols over HTTP/1.1.
 */
public final class TlsContexts {
  private static final ApplicationProtocolConfig ALPN_H2_THEN_HTTP_1_1 =
      new ApplicationProtocolConfig(
          ApplicationProtocolConfig.Protocol.ALPN,
          ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
          ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
          ApplicationProtocolNames.HTTP_2,
          ApplicationProtocolNames.HTTP_1_1);

  private static final ApplicationProtocolConfig ALPN_H2 =
      new ApplicationProtocolConfig(
          ApplicationProtocolConfig.Protocol.ALPN,
          ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
          ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
          ApplicationProtocolNames.HTTP_2);

  private TlsContexts() {}

  public static SslContext forServer(
      Path certChain, Path key, Path clientCa, boolean requireClientAuth) throws IOException {
    try {
      SslContextBuilder b =
          SslContextBuilder.forServer(certChain.toFile(), key.toFile())
              .sslProvider(SslProvider.JDK)
              .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
              .applicationProtocolConfig(ALPN_H2_THEN_HTTP_1_1);
      if (clientCa != null) {
        b.trustManager(clientCa.toFile())
            .clientAuth(requireClientAuth ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IOException(
          "cannot load TLS certificate/key (" + certChain + ", " + key + "): " + e.getMessage(), e);
    }
  }

  public static SslContext forClient(Path trustedCa, Path certChain, Path key) {
    try {
      SslContextBuilder b =
          SslContextBuilder.forClient()
              .sslProvider(SslProvider.JDK)
              .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
              .applicationProtocolConfig(ALPN_H2);
      if (trustedCa != null) {
        b.trustManager(trustedCa.toFile());
      }
      if (certChain != null) {
        b.keyManager(certChain.toFile(), key.toFile());
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot build client TLS context: " + e.getMessage(), e);
    }
  }
}
