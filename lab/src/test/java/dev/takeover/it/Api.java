package dev.takeover.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/** The HTTP API of daemons in the lab, for ITs (docs/API.md). */
final class Api {
  static final int PORT = 9180;
  static final String TOKEN = "it-token-0123456789abcdef";
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  private Api() {}

  /** Writes the cluster's token file (0600) in {@code dir}. */
  static Path tokenFile(Path dir) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("api-token");
      Files.writeString(file, TOKEN + "\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The top-level {@code api} section for node {@code self} of {@code nodes} (n1..nN at
   * 198.18.0.i): loopback and LAN listen, the token, every other node as a peer.
   */
  static String section(String self, int nodes, Path token, String extra) {
    StringBuilder b = new StringBuilder("api:\n");
    int i = Integer.parseInt(self.substring(1));
    b.append("  listen: [\"127.0.0.1:" + PORT + "\", \"198.18.0." + i + ":" + PORT + "\"]\n");
    b.append("  token-file: ").append(token).append('\n');
    if (nodes > 1) {
      b.append("  peers:\n");
      for (int n = 1; n <= nodes; n++) {
        if (n != i) {
          b.append("    n" + n + ": \"http://198.18.0." + n + ":" + PORT + "\"\n");
        }
      }
    }
    return b.append(extra).toString();
  }

  record Answer(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static Answer get(String base, String path, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.GET().build());
  }

  static Answer post(String base, String path, String body, boolean token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json");
    if (token) {
      b.header("Authorization", "Bearer " + TOKEN);
    }
    return send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  static Answer send(HttpRequest r) {
    try {
      HttpResponse<String> a = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
      return new Answer(a.statusCode(), a.body());
    } catch (IOException e) {
      return new Answer(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
