package dev.takeover.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The dashboard's static files, shipped in the jar under {@code /dashboard} (plain HTML, CSS and
 * JavaScript, no framework: DECISIONS). Served with a strict Content-Security-Policy: only this
 * origin's scripts, styles and API.
 */
final class Dashboard {
  private static final Map<String, String> FILES =
      Map.of(
          "/", "index.html",
          "/index.html", "index.html",
          "/app.js", "app.js",
          "/app.css", "app.css");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8");
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
          + " img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  static boolean has(String path) {
    return FILES.containsKey(path);
  }

  void serve(HttpExchange x, String path) throws IOException {
    String name = FILES.get(path);
    byte[] bytes;
    try (InputStream in = Dashboard.class.getResourceAsStream("/dashboard/" + name)) {
      if (in == null) {
        throw new ApiServer.HttpError(404, "dashboard file missing from the jar: " + name);
      }
      bytes = in.readAllBytes();
    }
    var h = x.getResponseHeaders();
    h.set("Content-Type", TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
    h.set("Content-Security-Policy", CSP);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Cache-Control", "no-cache");
    if ("HEAD".equals(x.getRequestMethod())) {
      x.sendResponseHeaders(200, -1);
      return;
    }
    x.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }
}
