package dev.takeover.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.takeover.config.ConfigLoader;
import dev.takeover.config.ConfigResult;
import dev.takeover.control.ControlJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code takeover status --cluster}: the daemon's {@code GET /v1/cluster} (docs/API.md) as a table
 * of nodes × groups, problems first.
 */
final class ClusterTable {
  private ClusterTable() {}

  static int run(CommandSpec spec, ControlOptions options, URI api) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    URI base = api != null ? api : defaultApi(options);
    JsonNode view;
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(base.resolve("/v1/cluster"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      view = ControlJson.MAPPER.readTree(r.body());
      if (r.statusCode() != 200) {
        err.println(
            "takeover: " + base + ": " + view.path("error").asText("HTTP " + r.statusCode()));
        return ExitCode.FAILED.code;
      }
    } catch (IOException e) {
      err.println(
          "takeover: the daemon's API does not answer at " + base + " (" + e.getMessage() + ")");
      return ExitCode.FAILED.code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.FAILED.code;
    }
    if (options.json) {
      out.println(view);
    } else {
      out.print(render(view));
    }
    return view.path("problems").isEmpty() ? ExitCode.OK.code : ExitCode.CONFLICT.code;
  }

  private static URI defaultApi(ControlOptions options) {
    Path file =
        options.config != null
            ? options.config
            : Files.isRegularFile(ControlOptions.DEFAULT_CONFIG)
                ? ControlOptions.DEFAULT_CONFIG
                : null;
    if (file != null && ConfigLoader.load(file) instanceof ConfigResult.Valid valid) {
      for (InetSocketAddress a : valid.config().api().listen()) {
        if (a.getAddress().isLoopbackAddress()) {
          String host = a.getAddress().getHostAddress();
          return URI.create(
              "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
        }
      }
    }
    return URI.create("http://127.0.0.1:9180");
  }

  /** The table: one row per node, one column per group ({@code STATE PRIORITY}). */
  static String render(JsonNode view) {
    StringBuilder b = new StringBuilder();
    b.append("cluster as ").append(view.path("node").asText()).append(" sees it\n");
    for (JsonNode p : view.path("problems")) {
      b.append("PROBLEM: ").append(p.asText()).append('\n');
    }
    b.append('\n');
    List<String> groups = new ArrayList<>();
    view.path("groups").forEach(g -> groups.add(g.path("name").asText()));
    List<List<String>> rows = new ArrayList<>();
    List<String> head = new ArrayList<>(List.of("NODE", "HEARD", "CONFIG"));
    head.addAll(groups);
    rows.add(head);
    for (JsonNode n : view.path("nodes")) {
      String node = n.path("node").asText();
      long ago = n.path("lastHeardMillisAgo").asLong(-1);
      String heard =
          n.path("self").asBoolean()
              ? "this node"
              : n.path("heard").asBoolean()
                  ? "now"
                  : ago < 0 ? "UNHEARD (never)" : "UNHEARD " + seconds(ago) + " ago";
      List<String> row =
          new ArrayList<>(
              List.of(
                  node + (n.path("maintenance").asBoolean() ? " (maintenance)" : ""),
                  heard,
                  n.path("configHash").asText("?")));
      for (JsonNode g : view.path("groups")) {
        JsonNode state = g.path("states").path(node);
        row.add(
            state.isMissingNode()
                ? "-"
                : state.asText() + " " + g.path("priorities").path(node).asText());
      }
      rows.add(row);
    }
    int[] width = new int[head.size()];
    for (List<String> r : rows) {
      for (int i = 0; i < r.size(); i++) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    for (List<String> r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        line.append(r.get(i));
        if (i < r.size() - 1) {
          line.append(" ".repeat(width[i] - r.get(i).length() + 2));
        }
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }

  private static String seconds(long millis) {
    return millis < 1000
        ? millis + " ms"
        : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
