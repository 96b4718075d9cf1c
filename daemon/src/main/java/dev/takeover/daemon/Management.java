package dev.takeover.daemon;

import dev.takeover.api.Access;
import dev.takeover.api.ApiServer;
import dev.takeover.api.HttpPeerStatusSource;
import dev.takeover.api.LinkPeerStatusSource;
import dev.takeover.api.PeerStatusSource;
import dev.takeover.api.Webhooks;
import dev.takeover.clock.Clock;
import dev.takeover.config.ApiConfig;
import dev.takeover.config.TakeoverConfig;
import dev.takeover.journal.Journal;
import dev.takeover.metrics.Metrics;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management plane (docs/API.md): metrics fed by the journal, the HTTP API with the dashboard,
 * and webhooks. Failover runs without any of it, so a part that cannot start is logged and left
 * out. The {@code api} section is read at start; a reload does not change it (docs/CONFIG.md).
 */
final class Management implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  private final ApiServer server;
  private final Webhooks webhooks;
  private final AutoCloseable metricsFeed;
  private final AutoCloseable webhookFeed;

  private Management(
      ApiServer server, Webhooks webhooks, AutoCloseable metricsFeed, AutoCloseable webhookFeed) {
    this.server = server;
    this.webhooks = webhooks;
    this.metricsFeed = metricsFeed;
    this.webhookFeed = webhookFeed;
  }

  static Management start(TakeoverConfig config, DaemonApi api, Journal journal, Clock clock) {
    ApiConfig c = config.api();
    Metrics metrics = new Metrics(api::sample);
    AutoCloseable metricsFeed = journal.subscribe(metrics::record);
    Webhooks webhooks = null;
    AutoCloseable webhookFeed = () -> {};
    if (!c.webhooks().isEmpty()) {
      webhooks = Webhooks.start(c.webhooks(), config.daemon().stateDir(), config.node(), clock);
      webhookFeed = journal.subscribe(webhooks::offer);
    }
    ApiServer server = null;
    if (!c.listen().isEmpty() || !c.tlsListen().isEmpty()) {
      Access access = Access.none();
      if (c.tokenFile().isPresent()) {
        try {
          access = Access.fromFile(c.tokenFile().get());
        } catch (IOException e) {
          log.error("API token not used, changes over HTTP are off: {}", e.getMessage());
        }
      }
      Access token = access;
      try {
        server = ApiServer.start(c, api, access, metrics, peers(api, token, clock));
      } catch (IOException | RuntimeException e) {
        log.warn("no HTTP API: {}", e.getMessage());
      }
    }
    return new Management(server, webhooks, metricsFeed, webhookFeed);
  }

  /**
   * The node links' summaries when links are configured (no request to any peer; they come over
   * every LAN), else the peers' APIs (docs/API.md "Cluster view"); asked at each request, because a
   * reload may add or remove the node links.
   */
  private static PeerStatusSource peers(DaemonApi api, Access token, Clock clock) {
    PeerStatusSource links = new LinkPeerStatusSource(() -> api.control().status());
    PeerStatusSource http =
        new HttpPeerStatusSource(() -> api.config().api().peers(), token::tokenValue, clock);
    return () -> api.config().links().enabled() ? links.peers() : http.peers();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    closeQuietly(webhookFeed);
    closeQuietly(metricsFeed);
    if (webhooks != null) {
      webhooks.close();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // nothing to do at shutdown
    }
  }
}
