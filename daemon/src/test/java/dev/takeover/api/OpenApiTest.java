package dev.takeover.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/openapi.yaml and docs/API.md describe exactly the routes the server has. */
class OpenApiTest {
  static final Path DOCS = Path.of("docs");

  /** "GET /v1/status" for every route the server dispatches (assets are not API). */
  static Set<String> served() {
    Set<String> out = new TreeSet<>();
    for (ApiServer.Route r : ApiServer.Route.values()) {
      String path =
          switch (r) {
            case HEALTHZ -> "/healthz";
            case READYZ -> "/readyz";
            case STATUS -> "/v1/status";
            case GROUPS -> "/v1/groups";
            case GROUP -> "/v1/groups/{name}";
            case CLUSTER -> "/v1/cluster";
            case EVENTS -> "/v1/events";
            case STREAM -> "/v1/events/stream";
            case MOVE -> "/v1/move";
            case MAINTENANCE -> "/v1/maintenance";
            case RELOAD -> "/v1/reload";
            case METRICS -> "/metrics";
            case DASHBOARD -> "/";
            case ASSET -> null;
          };
      if (path != null) {
        // The server's own routing must agree with the path written here.
        String probe = path.replace("{name}", "web");
        assertThat(ApiServer.Route.of(probe)).as(probe).isEqualTo(r);
        out.add(r.method + " " + path);
      }
    }
    return out;
  }

  @Test
  void theOpenApiDocumentListsExactlyTheServedRoutes() throws Exception {
    JsonNode doc =
        new ObjectMapper(new YAMLFactory()).readTree(DOCS.resolve("openapi.yaml").toFile());
    Set<String> documented = new TreeSet<>();
    for (var p : doc.get("paths").properties()) {
      for (var m : p.getValue().properties()) {
        documented.add(m.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey());
      }
    }
    assertThat(documented).isEqualTo(served());
  }

  @Test
  void apiMdNamesEveryRoute() throws Exception {
    String md = Files.readString(DOCS.resolve("API.md"));
    for (String route : served()) {
      assertThat(md).as(route).contains("`" + route + "`");
    }
  }

  @Test
  void metricsMdNamesEveryFamily() throws Exception {
    String md = Files.readString(DOCS.resolve("METRICS.md"));
    for (String family : MetricsFamilies.ALL) {
      assertThat(md).as(family).contains("`" + family + "`");
    }
  }
}
