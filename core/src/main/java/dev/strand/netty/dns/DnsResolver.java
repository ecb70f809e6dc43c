package dev.strand.netty.dns;

import dev.strand.Status;
import dev.strand.internal.resolver.HostPort;
import dev.strand.netty.client.ClientResources;
import dev.strand.netty.loop.EventLoops;
import dev.strand.spi.NameResolver;
import io.netty.channel.EventLoop;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Looks one host name up, every A and AAAA record (IPv4 first), on one of the client's event loops,
 * never blocking a thread: at start, again every refresh interval, and on {@link #refresh} if the
 * last lookup is at least that old. A failed lookup keeps the last good addresses; only with none
 * yet does the channel hear of the failure. Event loop only, after start.
 *
 * <p>With {@code -Dstrand.dnsServiceConfig=true} (off by default, as in grpc-java), each lookup
 * also reads the TXT record {@code _grpc_config.<host>} (gRFC A2) and hands the channel the service
 * config the first matching choice holds; no record (NXDOMAIN) means no config.
 */
final class DnsResolver implements NameResolver {
  private static final Logger log = Logger.getLogger(DnsResolver.class.getName());
  private final HostPort name;
  private final InetSocketAddress server;
  private final long intervalNanos;
  private final boolean serviceConfigLookUp;

  /** This client's draw for A2's {@code percentage}, once per resolver. */
  private final int percentile = java.util.concurrent.ThreadLocalRandom.current().nextInt(100);

  private final EventLoop loop = ClientResources.eventLoopGroup().next();
  private DnsNameResolver dns;
  private Listener listener;
  private ScheduledFuture<?> next;
  private long lastLookup;
  private boolean hasResult;
  private boolean closed;

  DnsResolver(
      HostPort name, InetSocketAddress server, Duration interval, boolean serviceConfigLookUp) {
    this.name = name;
    this.server = server;
    this.intervalNanos = interval.toNanos();
    this.serviceConfigLookUp = serviceConfigLookUp;
    this.localHost = serviceConfigLookUp ? localHostName() : null;
  }

  @Override
  public String authority() {
    return name.authority();
  }

  @Override
  public void start(Listener listener) {
    loop.execute(
        () -> {
          this.listener = listener;
          dns =
              new DnsNameResolverBuilder(loop)
                  .datagramChannelType(EventLoops.datagramChannelType())
                  .nameServerProvider(
                      server == null
                          ? DnsServerAddressStreamProviders.platformDefault()
                          : new SingletonDnsServerAddressStreamProvider(server))
                  .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
                  // The records' own TTLs are what Netty caches by; not past the interval.
                  .ttl(0, (int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(intervalNanos)))
                  .negativeTtl(0)
                  .build();
          lookUp();
        });
  }

  @Override
  public void refresh() {
    loop.execute(
        () -> {
          // Rate-limited once there are addresses; until then the channel's backoff paces it.
          if (!closed
              && dns != null
              && (!hasResult || System.nanoTime() - lastLookup >= intervalNanos)) {
            lookUp();
          }
        });
  }

  @Override
  public void close() {
    loop.execute(
        () -> {
          closed = true;
          if (next != null) {
            next.cancel(false);
          }
          if (dns != null) {
            dns.close();
          }
        });
  }

  private void lookUp() {
    lastLookup = System.nanoTime();
    if (next != null) {
      next.cancel(false);
    }
    next = loop.schedule(this::lookUp, intervalNanos, TimeUnit.NANOSECONDS);
    dns.resolveAll(name.host()).addListener((Future<List<InetAddress>> f) -> onLookedUp(f));
  }

  /**
   * The service config the TXT answer holds, or null for none. A malformed one is handed on as it
   * is, so the channel refuses it and keeps its last good config (A21). Releases the records.
   */
  private String serviceConfig(Future<List<io.netty.handler.codec.dns.DnsRecord>> txt) {
    if (!txt.isSuccess()) {
      return null; // no such record, most often
    }
    String payload = null;
    for (io.netty.handler.codec.dns.DnsRecord record : txt.getNow()) {
      try {
        if (payload == null && record instanceof io.netty.handler.codec.dns.DnsRawRecord raw) {
          String text = txtText(raw.content());
          if (text.startsWith(dev.strand.internal.config.ServiceConfigChoices.TXT_PREFIX)) {
            payload =
                text.substring(dev.strand.internal.config.ServiceConfigChoices.TXT_PREFIX.length());
          }
        }
      } finally {
        io.netty.util.ReferenceCountUtil.release(record);
      }
    }
    if (payload == null) {
      return null;
    }
    try {
      return dev.strand.internal.config.ServiceConfigChoices.select(payload, localHost, percentile);
    } catch (IllegalArgumentException e) {
      log.log(
          Level.WARNING,
          "bad grpc_config TXT record for {0}: {1}",
          new Object[] {name.host(), e.getMessage()});
      return payload; // refused by the channel, which keeps its last good config
    }
  }

  /** A TXT record's character-strings (length byte, bytes), joined (RFC 1035, 3.3.14). */
  private static String txtText(io.netty.buffer.ByteBuf rdata) {
    StringBuilder text = new StringBuilder();
    int i = rdata.readerIndex();
    int end = rdata.writerIndex();
    while (i < end) {
      int length = rdata.getUnsignedByte(i++);
      int n = Math.min(length, end - i);
      text.append(rdata.toString(i, n, java.nio.charset.StandardCharsets.UTF_8));
      i += n;
    }
    return text.toString();
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /** This machine's name for A2's {@code clientHostname}, looked up here, never on a loop. */
  private final String localHost;

  private void onLookedUp(Future<List<InetAddress>> f) {
    if (closed) {
      return;
    }
    if (f.isSuccess() && !f.getNow().isEmpty()) {
      List<Endpoint> endpoints = new ArrayList<>();
      for (InetAddress address : f.getNow()) {
        endpoints.add(Endpoint.of(new InetSocketAddress(address, name.port())));
      }
      hasResult = true;
      if (!serviceConfigLookUp) {
        listener.onResult(endpoints);
        return;
      }
      dns.resolveAll(
              new io.netty.handler.codec.dns.DefaultDnsQuestion(
                  "_grpc_config." + name.host(), io.netty.handler.codec.dns.DnsRecordType.TXT))
          .addListener(
              (Future<List<io.netty.handler.codec.dns.DnsRecord>> txt) -> {
                String config = serviceConfig(txt);
                if (!closed) {
                  listener.onResult(endpoints, config);
                }
              });
      return;
    }
    String why = f.isSuccess() ? "no addresses" : String.valueOf(f.cause().getMessage());
    if (hasResult) {
      log.log(
          Level.FINE,
          "DNS lookup of {0} failed, keeping the last addresses: {1}",
          new Object[] {name.host(), why});
      return;
    }
    listener.onError(
        Status.UNAVAILABLE
            .withDescription(
                "DNS lookup of '"
                    + name.host()
                    + "'"
                    + (server == null ? "" : " at " + server)
                    + " failed: "
                    + why)
            .withCause(f.cause()));
  }
}
