package dev.strand.e2e.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.StreamSource;
import dev.strand.testing.EchoService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Strand channel through a real proxy (nginx's {@code grpc_pass}, HAProxy in HTTP/2 mode) in
 * front of three Strand servers: unary calls reach all three, a server stream passes through whole,
 * and a stopped upstream does not break the client (nginx moves on to the next; the channel's one
 * connection is to nginx).
 */
@Timeout(60)
class ProxyTest {
  private static final String[] IPS = {"127.0.0.2", "127.0.0.3", "127.0.0.4"};
  @TempDir Path dir;
  private final List<Server> servers = new ArrayList<>();
  private GrpcProxy proxy;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
      channel.awaitTermination(Duration.ofSeconds(5));
    }
    if (proxy != null) {
      proxy.close();
    }
    for (Server s : servers) {
      s.shutdownNow();
      s.awaitTermination(Duration.ofSeconds(5));
    }
  }

  private static CallOptions options() {
    return CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10));
  }

  private Server serve(String ip, int port) throws Exception {
    Server server =
        Server.builder()
            .address(ip, port)
            .service(Who.definition(ip))
            .service(EchoService.definition())
            .start();
    servers.add(server);
    return server;
  }

  private Map<String, Integer> whoAnswers(int calls) throws Exception {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < calls; i++) {
      counts.merge(ClientCalls.blockingUnary(channel, Who.NAME, options(), "who"), 1, Integer::sum);
    }
    return counts;
  }

  @ParameterizedTest
  @ValueSource(strings = {"nginx", "haproxy"})
  void callsAndStreamsPassThroughAndSurviveALostUpstream(String kind) throws Exception {
    int port = serve(IPS[0], 0).port();
    serve(IPS[1], port);
    serve(IPS[2], port);
    List<String> upstreams = new ArrayList<>();
    for (String ip : IPS) {
      upstreams.add(ip + ":" + port);
    }
    proxy =
        kind.equals("nginx") ? GrpcProxy.nginx(dir, upstreams) : GrpcProxy.haproxy(dir, upstreams);
    channel = Channel.to("127.0.0.1:" + proxy.port()).plaintext().build();

    Map<String, Integer> counts = whoAnswers(60);
    assertEquals(List.of(IPS), new ArrayList<>(counts.keySet()), () -> counts + "\n" + logs());

    List<String> streamed = new ArrayList<>();
    try (StreamSource<String> stream =
        ClientCalls.serverStream(channel, EchoService.SERVER_STREAM, options(), "200:item")) {
      stream.forEach(streamed::add);
    }
    assertEquals(200, streamed.size(), () -> streamed.size() + " messages\n" + logs());
    assertEquals("item-199", streamed.get(199));

    Server lost = servers.remove(1);
    lost.shutdownNow();
    lost.awaitTermination(Duration.ofSeconds(5));
    Map<String, Integer> after = whoAnswers(60);
    assertEquals(List.of(IPS[0], IPS[2]), new ArrayList<>(after.keySet()), () -> after + logs());
  }

  private String logs() {
    return proxy.logs();
  }
}
