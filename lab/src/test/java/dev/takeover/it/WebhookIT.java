package dev.takeover.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.takeover.api.Webhooks;
import dev.takeover.platform.Netns;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Webhooks (docs/API.md): a test HTTP receiver in the client namespace gets every state change of
 * n1, in journal order, each with a valid signature, also those that happened while it was down for
 * 10 s.
 */
class WebhookIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(1);
  private static final String SECRET = "webhook-secret-for-the-it";
  private static final int PORT = 8088;
  private final List<NsForward> forwards = new ArrayList<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private HttpServer receiver;

  record Received(String id, String type, String body, boolean signed) {}

  @AfterEach
  void close() {
    if (receiver != null) {
      receiver.stop(0);
    }
    forwards.forEach(NsForward::close);
  }

  /** The receiver, bound inside the client namespace (198.18.0.100). */
  private void startReceiver() {
    receiver =
        Netns.call(
            cluster.lab().nsName("client"),
            () -> HttpServer.create(new InetSocketAddress("198.18.0.100", PORT), 16));
    receiver.createContext(
        "/hook",
        x -> {
          byte[] body = x.getRequestBody().readAllBytes();
          long ts = Long.parseLong(x.getRequestHeaders().getFirst("X-Takeover-Timestamp"));
          String expected = Webhooks.signature(SECRET.getBytes(StandardCharsets.UTF_8), ts, body);
          boolean signed = expected.equals(x.getRequestHeaders().getFirst("X-Takeover-Signature"));
          received.add(
              new Received(
                  x.getRequestHeaders().getFirst("X-Takeover-Delivery"),
                  x.getRequestHeaders().getFirst("X-Takeover-Event"),
                  new String(body, StandardCharsets.UTF_8),
                  signed));
          x.sendResponseHeaders(204, -1);
          x.close();
        });
    receiver.start();
  }

  @Test
  void everyStateChangeArrivesInOrderSignedAfterTheReceiverWasDown() throws IOException {
    Path conf = cluster.logDir().resolve("conf");
    Path token = Api.tokenFile(conf);
    Path secret = conf.resolve("webhook-secret");
    Files.writeString(secret, SECRET + "\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    String webhook =
        "  webhooks:\n"
            + "    - url: http://198.18.0.100:"
            + PORT
            + "/hook\n"
            + "      events: [state.changed]\n"
            + "      secret-file: "
            + secret
            + "\n"
            + "      timeout: 1s\n";
    startReceiver();
    cluster.start(Cluster.config("n1", 100).withGroupYaml(Api.section("n1", 1, token, webhook)));
    cluster.awaitMaster("n1", Cluster.STARTUP);
    NsForward n1 = NsForward.to(cluster.lab().nsName("n1"), "127.0.0.1", Api.PORT);
    forwards.add(n1);
    // The webhook starts with the API; a first change delivered shows it runs.
    Poll.until(
        Cluster.STARTUP.multipliedBy(3),
        () -> Api.get(n1.base(), "/readyz").status() == 200,
        () -> "n1's API to be ready");
    cluster.lab().linkDown("n1");
    Cluster.awaitTakeoverState(cluster.daemon("n1"), "FAULT", Duration.ofSeconds(5));
    cluster.lab().linkUp("n1");
    cluster.awaitMaster("n1", Duration.ofSeconds(10));
    Poll.until(
        Duration.ofSeconds(30),
        () -> received.stream().anyMatch(r -> r.body().contains("\"to\":\"MASTER\"")),
        () -> "the receiver to get the transition to MASTER; got " + received);

    // The receiver goes down for 10 s; meanwhile n1's link goes down (FAULT) and up (MASTER again).
    receiver.stop(0);
    receiver = null;
    long down = System.nanoTime();
    long faults = faults();
    cluster.lab().linkDown("n1");
    Poll.until(Duration.ofSeconds(5), () -> faults() > faults, () -> "n1 in FAULT again");
    cluster.lab().linkUp("n1");
    cluster.awaitMaster("n1", Duration.ofSeconds(10));
    Poll.until(
        Duration.ofSeconds(15),
        () -> System.nanoTime() - down >= Duration.ofSeconds(10).toNanos(),
        () -> "10 s down");
    startReceiver();

    // Every state change in n1's journal arrives, in order, signed; repeats allowed (at least
    // once).
    // (A new webhook starts at the journal's end when the API comes up, so count from the first
    // change it delivered.)
    JsonNode journal = Api.get(n1.base(), "/v1/events?limit=200").json().get("events");
    String first = received.getFirst().id();
    List<String> changes = new ArrayList<>();
    for (JsonNode e : journal) {
      if (e.get("type").asText().equals("state.changed")
          && e.get("id").asText().compareTo(first) >= 0) {
        changes.add(e.get("id").asText());
      }
    }
    assertThat(changes.size()).isGreaterThanOrEqualTo(3); // FAULT, BACKUP, MASTER at least
    Poll.until(
        Duration.ofSeconds(40),
        () -> distinct().containsAll(changes),
        () -> "every state change delivered: " + changes + ", got " + distinct());
    assertThat(distinct()).isEqualTo(changes);
    assertThat(received).allMatch(Received::signed);
    assertThat(received).allMatch(r -> r.type().equals("state.changed"));
  }

  private long faults() {
    return cluster
        .daemon("n1")
        .process()
        .log()
        .lines()
        .filter(l -> l.contains("-> FAULT ("))
        .count();
  }

  /** The delivered ids, repeats dropped, in arrival order. */
  private List<String> distinct() {
    List<String> ids = new ArrayList<>();
    for (Received r : received) {
      if (!ids.contains(r.id())) {
        ids.add(r.id());
      }
    }
    return ids;
  }
}
