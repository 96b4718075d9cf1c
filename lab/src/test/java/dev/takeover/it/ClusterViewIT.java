package dev.takeover.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.takeover.cli.Main;
import dev.takeover.lab.NodeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The management plane on three real daemons (docs/API.md): the API's auth from a LAN client, a 10
 * MB body refused while status still answers; the cluster view on n3 after a move issued on n3
 * between n1 and n2 (forwarded to n2), after a kill -9 (n2 unheard) and after maintenance of n1
 * forwarded from n3; metrics show the transitions and the claim timeline; {@code status --cluster}.
 */
class ClusterViewIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(3);
  private final List<NsForward> forwards = new ArrayList<>();

  private static final String NODES = "nodes: {n1: 198.18.0.1, n2: 198.18.0.2, n3: 198.18.0.3}\n";

  @AfterEach
  void closeForwards() {
    forwards.forEach(NsForward::close);
  }

  private NodeConfig config(String node, int priority, Path token) {
    return Cluster.config(node, priority).withGroupYaml(NODES + Api.section(node, 3, token, ""));
  }

  /** The API of {@code node} as a loopback client there. */
  private String local(String node) {
    NsForward f = NsForward.to(cluster.lab().nsName(node), "127.0.0.1", Api.PORT);
    forwards.add(f);
    return f.base();
  }

  private static JsonNode web(JsonNode view) {
    for (JsonNode g : view.get("groups")) {
      if (g.get("name").asText().equals("web")) {
        return g;
      }
    }
    throw new AssertionError("no group web in " + view);
  }

  private static JsonNode node(JsonNode view, String name) {
    for (JsonNode n : view.get("nodes")) {
      if (n.get("node").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError("no node " + name + " in " + view);
  }

  private JsonNode awaitView(String base, java.util.function.Predicate<JsonNode> ok, String what) {
    JsonNode[] last = new JsonNode[1];
    Poll.until(
        Duration.ofSeconds(10),
        () -> {
          Api.Answer a = Api.get(base, "/v1/cluster");
          if (a.status() != 200) {
            return false;
          }
          last[0] = a.json();
          return ok.test(last[0]);
        },
        () -> what + "; last view " + last[0]);
    return last[0];
  }

  @Test
  void theClusterViewFollowsAMoveAKillAndMaintenance() {
    Path token = Api.tokenFile(cluster.logDir().resolve("conf"));
    cluster.start(config("n1", 150, token));
    cluster.awaitMaster("n1", Cluster.STARTUP);
    cluster.start(config("n2", 100, token));
    cluster.start(config("n3", 50, token));
    String n3 = local("n3");
    Poll.until(
        Cluster.STARTUP.multipliedBy(3),
        () -> Api.get(n3, "/readyz").status() == 200,
        () -> "n3's API to be ready");

    // Auth, as a client on the LAN (n3's LAN address is not loopback).
    NsForward lan = NsForward.to(cluster.lab().nsName("client"), "198.18.0.3", Api.PORT);
    forwards.add(lan);
    assertThat(Api.get(lan.base(), "/v1/status").status()).isEqualTo(401);
    assertThat(Api.get(lan.base(), "/v1/status", "Authorization", "Bearer wrong").status())
        .isEqualTo(403);
    Api.Answer remote = Api.get(lan.base(), "/v1/status", "Authorization", "Bearer " + Api.TOKEN);
    assertThat(remote.status()).isEqualTo(200);
    assertThat(remote.json().get("node").asText()).isEqualTo("n3");
    assertThat(Api.get(lan.base(), "/healthz").status()).isEqualTo(200);
    assertThat(Api.post(n3, "/v1/maintenance", "{\"on\":true}", false).status()).isEqualTo(401);
    Api.Answer big = Api.post(n3, "/v1/move", "{\"group\":\"" + "x".repeat(10 << 20) + "\"}", true);
    // Refused unread: the 413 is sent and the connection closed while the client may still be
    // sending, so the client sees the 413 or, when the close wins the race, a reset (-1).
    assertThat(big.status()).as("%s", big).isIn(413, -1);
    assertThat(Api.get(n3, "/v1/status").status()).isEqualTo(200);

    // Everyone heard, one master, one config hash.
    JsonNode view =
        awaitView(
            n3,
            v -> v.get("problems").isEmpty() && web(v).get("masters").toString().equals("[\"n1\"]"),
            "n3 sees n1 master and no problem");
    assertThat(view.get("nodes")).hasSize(3);

    // A move issued on n3 moves web from n1 to n2 (forwarded to its target, n2).
    Api.Answer move = Api.post(n3, "/v1/move", "{\"group\":\"web\",\"to\":\"n2\"}", true);
    assertThat(move.status()).as(move.body()).isEqualTo(200);
    assertThat(move.json().get("outcome").asText()).isEqualTo("moving");
    cluster.awaitMaster("n2", Duration.ofSeconds(5));
    cluster.awaitReleased("n1", Duration.ofSeconds(5));
    awaitView(
        n3,
        v -> web(v).get("masters").toString().equals("[\"n2\"]") && v.get("problems").isEmpty(),
        "n3 sees n2 master after the move");

    // Metrics on n2 show its transition to MASTER and the claim's timeline.
    String metrics = Api.get(local("n2"), "/metrics").body();
    assertThat(metrics)
        .contains("takeover_transitions_total{from=\"BACKUP\",group=\"web\",to=\"MASTER\"} 1.0")
        .contains("takeover_group_state{group=\"web\",state=\"MASTER\"} 1.0")
        .containsPattern(
            "takeover_claim_timeline_seconds_count\\{group=\"web\",phase=\"addresses_added\"} 1");

    // kill -9 n2: n1 takes over; n3 shows n2 unheard within the API's timeout.
    cluster.daemon("n2").crash();
    cluster.awaitMaster("n1", Duration.ofSeconds(5));
    long killed = System.nanoTime();
    view =
        awaitView(
            n3,
            v ->
                !node(v, "n2").get("heard").asBoolean()
                    && web(v).get("masters").toString().equals("[\"n1\"]"),
            "n3 sees n2 unheard and n1 master");
    assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(3));
    assertThat(view.get("problems").toString()).contains("node n2 unheard");
    assertThat(web(view).get("states").get("n2").asText()).isEqualTo("UNHEARD");

    // Maintenance of n1, forwarded from n3: n3 takes over, the view says n1 is in maintenance.
    Api.Answer maintenance = Api.post(n3, "/v1/maintenance", "{\"on\":true,\"node\":\"n1\"}", true);
    assertThat(maintenance.status()).as(maintenance.body()).isEqualTo(200);
    cluster.awaitMaster("n3", Duration.ofSeconds(5));
    view =
        awaitView(
            n3,
            v ->
                node(v, "n1").get("maintenance").asBoolean()
                    && web(v).get("masters").toString().equals("[\"n3\"]"),
            "n3 master, n1 in maintenance");

    // takeover status --cluster on n3 (through its API).
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute("status", "--cluster", "--api", n3);
    assertThat(code).as(err.toString()).isEqualTo(4); // n2 is unheard
    assertThat(out.toString())
        .contains("cluster as n3 sees it")
        .contains("PROBLEM: node n2 unheard")
        .containsPattern("n1 \\(maintenance\\) +now")
        .containsPattern("n3 +this node +[0-9a-f]{12} +MASTER 50");
  }
}
