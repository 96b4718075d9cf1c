package dev.takeover.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.takeover.clock.Clock;
import dev.takeover.control.ControlJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Asks each peer's {@code GET /v1/status} (with the cluster's token), all at once, when someone
 * looks at the cluster, and at most every {@value #CACHE_MILLIS} ms: nothing is polled while nobody
 * looks. A peer that does not answer within {@link #TIMEOUT} is shown unheard, with the time it was
 * last heard.
 */
public final class HttpPeerStatusSource implements PeerStatusSource {
  static final Duration TIMEOUT = Duration.ofMillis(800);
  static final long CACHE_MILLIS = 500;

  private final Supplier<Map<String, URI>> peers;
  private final Supplier<Optional<String>> token;
  private final Clock clock;
  private HttpClient client; // guarded by this; made at the first look (no thread until then)
  private final Map<String, Long> lastHeard = new ConcurrentHashMap<>();
  private final Map<String, PeerSummary> lastSummary = new ConcurrentHashMap<>();
  private List<PeerSummary> cached; // guarded by this
  private long cachedAt;

  public HttpPeerStatusSource(
      Supplier<Map<String, URI>> peers, Supplier<Optional<String>> token, Clock clock) {
    this.peers = peers;
    this.token = token;
    this.clock = clock;
  }

  @Override
  public synchronized List<PeerSummary> peers() {
    long now = clock.nanoTime();
    if (cached != null && now - cachedAt < TimeUnit.MILLISECONDS.toNanos(CACHE_MILLIS)) {
      return cached;
    }
    Map<String, URI> targets = peers.get();
    if (client == null && !targets.isEmpty()) {
      client =
          HttpClient.newBuilder()
              .connectTimeout(TIMEOUT)
              .followRedirects(HttpClient.Redirect.NEVER)
              .executor(r -> Thread.ofVirtual().name("takeover-api-peer").start(r))
              .build();
    }
    HttpClient http = client;
    List<Map.Entry<String, Future<PeerSummary>>> asked = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (var e : targets.entrySet()) {
        asked.add(Map.entry(e.getKey(), pool.submit(() -> ask(http, e.getKey(), e.getValue()))));
      }
      List<PeerSummary> out = new ArrayList<>();
      for (var e : asked) {
        PeerSummary s;
        try {
          s = e.getValue().get(TIMEOUT.toMillis() + 200, TimeUnit.MILLISECONDS);
        } catch (Exception ex) {
          s = unheard(e.getKey(), String.valueOf(ex.getMessage()));
        }
        out.add(s);
      }
      cached = List.copyOf(out);
      cachedAt = now;
      return cached;
    }
  }

  private PeerSummary ask(HttpClient client, String node, URI base) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(base.resolve("/v1/status")).timeout(TIMEOUT).GET();
      token.get().ifPresent(t -> b.header("Authorization", "Bearer " + t));
      HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        return unheard(node, "HTTP " + r.statusCode());
      }
      if (r.body().length > ApiServer.MAX_PEER_STATUS_BYTES) {
        return unheard(node, "status too large");
      }
      JsonNode status = ControlJson.MAPPER.readTree(r.body());
      boolean maintenance = status.path("maintenance").asBoolean(false);
      List<GroupSummary> groups = new ArrayList<>();
      for (JsonNode g : status.path("groups")) {
        groups.add(
            new GroupSummary(
                g.path("name").asText(),
                g.path("vrid").asInt(),
                g.path("state").asText(),
                g.path("effectivePriority").asInt(),
                maintenance,
                g.path("vipOwner").isNull() ? null : g.path("vipOwner").asText(null)));
      }
      lastHeard.put(node, clock.nanoTime());
      PeerSummary s =
          new PeerSummary(
              status.path("node").asText(node),
              true,
              0,
              null,
              status.path("configHash").asText(""),
              maintenance,
              groups);
      lastSummary.put(node, s);
      return s;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unheard(node, "interrupted");
    } catch (Exception e) {
      return unheard(node, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** Unheard: what was last heard (if ever), with how long ago. */
  private PeerSummary unheard(String node, String error) {
    Long at = lastHeard.get(node);
    PeerSummary last = lastSummary.get(node);
    long ago = at == null ? -1 : TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - at);
    return new PeerSummary(
        node,
        false,
        ago,
        error,
        last == null ? "" : last.configHash(),
        last != null && last.maintenance(),
        last == null ? List.of() : last.groups());
  }
}
