package dev.takeover.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.takeover.config.ApiConfig;
import dev.takeover.config.ConfigHash;
import dev.takeover.control.ControlException;
import dev.takeover.control.ControlJson;
import dev.takeover.control.StatusView;
import dev.takeover.journal.Journal;
import dev.takeover.journal.JournalEvent;
import dev.takeover.journal.JournalJson;
import dev.takeover.metrics.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API, {@code /metrics} and the dashboard (docs/API.md), on the JDK's {@code
 * com.sun.net.httpserver}.
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li>Every read or change of group state goes through {@link ApiBackend#control()}, the control
 *       socket's own handler, which runs it as a task on the engine thread and waits at most 2 s:
 *       nothing a client sends reaches the engine any other way.
 *   <li>The server's dispatcher thread parses requests; handlers run on virtual threads, at most
 *       {@value #MAX_REQUESTS} at once (more get 503 at once), so the pool is small and bounded but
 *       an idle connection costs no thread. Bodies are read up to {@value #MAX_BODY} bytes (more is
 *       413, unread), request headers must arrive within {@code sun.net.httpserver.maxReqTime} (10
 *       s), at most {@value #MAX_CONNECTIONS} connections are open.
 *   <li>Event streams ({@code /v1/events/stream}, Server-Sent Events) leave the request pool once
 *       their headers are out; at most {@value #MAX_STREAMS} at once, each with a bounded queue: a
 *       client that falls {@value #STREAM_QUEUE} events behind is cut off (it resumes with {@code
 *       Last-Event-ID}), so the journal's writer never waits for one.
 *   <li>Auth ({@link Access}): a bearer token for every change and every non-loopback client; no
 *       cookies (so no CSRF) and no CORS headers (a page from another origin cannot read answers).
 * </ul>
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("takeover.api");

  static final int MAX_BODY = 64 * 1024;
  static final int MAX_REQUESTS = 8;
  static final int MAX_STREAMS = 16;
  static final int STREAM_QUEUE = 1024;
  static final int MAX_CONNECTIONS = 256;
  static final int MAX_PAGE = 1000;
  static final int MAX_PEER_STATUS_BYTES = 4 << 20;
  static final Duration HEARTBEAT = Duration.ofSeconds(15);
  static final String FORWARDED = "X-Takeover-Forwarded";

  static {
    // Read once by the JDK when the first server starts; an operator's -D wins.
    setDefault("sun.net.httpserver.maxReqTime", "10");
    setDefault("sun.net.httpserver.idleInterval", "30");
    setDefault("sun.net.httpserver.maxIdleConnections", "32");
    setDefault("sun.net.httpserver.maxReqHeaders", "64");
    setDefault("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  private final ApiBackend backend;
  private final Access access;
  private final Metrics metrics;
  private final PeerStatusSource peers;
  private final Dashboard dashboard = new Dashboard();
  private final Semaphore requests = new Semaphore(MAX_REQUESTS);
  private final Semaphore streams = new Semaphore(MAX_STREAMS);
  private final List<HttpServer> servers = new ArrayList<>();
  private HttpClient forwarder; // guarded by this; made at the first forward
  private volatile boolean closed;

  ApiServer(ApiBackend backend, Access access, Metrics metrics, PeerStatusSource peers) {
    this.backend = backend;
    this.access = access;
    this.metrics = metrics;
    this.peers = peers;
  }

  private synchronized HttpClient forwarder() {
    if (forwarder == null) {
      forwarder =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(2))
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
    }
    return forwarder;
  }

  /**
   * Listens on every address of {@code config}; an address that cannot be bound is logged and
   * skipped (the API is for operators; failover runs without it).
   */
  public static ApiServer start(
      ApiConfig config, ApiBackend backend, Access access, Metrics metrics, PeerStatusSource peers)
      throws IOException {
    ApiServer api = new ApiServer(backend, access, metrics, peers);
    for (InetSocketAddress a : config.listen()) {
      api.bind(HttpServer.create(), a, "http");
    }
    if (!config.tlsListen().isEmpty()) {
      SSLContext tls = TlsContexts.server(config.tls().orElseThrow());
      for (InetSocketAddress a : config.tlsListen()) {
        HttpsServer s = HttpsServer.create();
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        api.bind(s, a, "https");
      }
    }
    return api;
  }

  private void bind(HttpServer server, InetSocketAddress address, String scheme) {
    try {
      server.bind(address, 64);
    } catch (IOException e) {
      log.warn("API: cannot listen on {}: {}", address, e.getMessage());
      return;
    }
    server.createContext("/", this::handle);
    server.setExecutor(r -> Thread.ofVirtual().name("takeover-api").start(r));
    server.start();
    servers.add(server);
    log.info("API listening on {}://{}", scheme, hostPort(server.getAddress()));
  }

  /** The bound addresses (a port 0 in the configuration is resolved here), for tests. */
  public List<InetSocketAddress> addresses() {
    return servers.stream().map(HttpServer::getAddress).toList();
  }

  private static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  @Override
  public void close() {
    closed = true;
    servers.forEach(s -> s.stop(0));
  }

  // ---- dispatch --------------------------------------------------------------------------------

  private void handle(HttpExchange x) {
    if (!requests.tryAcquire()) {
      try (x) {
        sendError(x, 503, "busy: " + MAX_REQUESTS + " requests in progress; try again");
      } catch (IOException | RuntimeException e) {
        // the client left
      }
      return;
    }
    boolean streaming = false;
    try {
      streaming = route(x);
    } catch (HttpError e) {
      trySendError(x, e.status, e.getMessage(), e.headers);
    } catch (ControlException e) {
      trySendError(x, 409, e.getMessage(), Map.of());
    } catch (IOException e) {
      // the client went away
    } catch (RuntimeException e) {
      log.warn("API: {} {} failed", x.getRequestMethod(), x.getRequestURI().getPath(), e);
      trySendError(x, 500, "internal error: " + e, Map.of());
    } finally {
      requests.release();
      if (!streaming) {
        x.close();
      }
    }
  }

  /** Returns true when the exchange became an event stream that closes itself later. */
  private boolean route(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    String method = x.getRequestMethod();
    Route r = Route.of(path);
    if (r == null) {
      throw new HttpError(404, "no such path: " + path + " (see docs/API.md)");
    }
    if (!r.method.equals(method) && !("HEAD".equals(method) && "GET".equals(r.method))) {
      throw new HttpError(
          405, method + " not allowed on " + path + "; use " + r.method, Map.of("Allow", r.method));
    }
    access.check(r.access, x.getRemoteAddress().getAddress(), x.getRequestHeaders());
    switch (r) {
      case HEALTHZ -> sendJson(x, 200, Map.of("ok", true));
      case READYZ -> ready(x);
      case STATUS -> sendJson(x, 200, statusJson(backend.control().status()));
      case GROUPS -> sendJson(x, 200, backend.control().status().groups());
      case GROUP -> group(x, path.substring("/v1/groups/".length()));
      case CLUSTER -> sendJson(x, 200, cluster());
      case EVENTS -> events(x);
      case STREAM -> {
        return stream(x);
      }
      case MOVE -> move(x);
      case MAINTENANCE -> maintenance(x);
      case RELOAD -> {
        body(x); // bounded even when unused
        var result = backend.control().reload();
        sendJson(x, result.applied() ? 200 : 422, result);
      }
      case METRICS -> {
        x.getResponseHeaders().set("Content-Type", metrics.contentType());
        x.sendResponseHeaders(200, 0);
        try (OutputStream out = x.getResponseBody()) {
          metrics.scrape(out);
        }
      }
      case DASHBOARD, ASSET -> dashboard.serve(x, path);
    }
    return false;
  }

  /** The paths, each with its one method and who may call it. */
  enum Route {
    HEALTHZ("GET", Access.Need.OPEN),
    READYZ("GET", Access.Need.OPEN),
    STATUS("GET", Access.Need.READ),
    GROUPS("GET", Access.Need.READ),
    GROUP("GET", Access.Need.READ),
    CLUSTER("GET", Access.Need.READ),
    EVENTS("GET", Access.Need.READ),
    STREAM("GET", Access.Need.READ),
    MOVE("POST", Access.Need.CHANGE),
    MAINTENANCE("POST", Access.Need.CHANGE),
    RELOAD("POST", Access.Need.CHANGE),
    METRICS("GET", Access.Need.READ),
    DASHBOARD("GET", Access.Need.OPEN),
    ASSET("GET", Access.Need.OPEN);

    final String method;
    final Access.Need access;

    Route(String method, Access.Need access) {
      this.method = method;
      this.access = access;
    }

    static Route of(String path) {
      return switch (path) {
        case "/healthz" -> HEALTHZ;
        case "/readyz" -> READYZ;
        case "/v1/status" -> STATUS;
        case "/v1/groups" -> GROUPS;
        case "/v1/cluster" -> CLUSTER;
        case "/v1/events" -> EVENTS;
        case "/v1/events/stream" -> STREAM;
        case "/v1/move" -> MOVE;
        case "/v1/maintenance" -> MAINTENANCE;
        case "/v1/reload" -> RELOAD;
        case "/metrics" -> METRICS;
        case "/", "/index.html" -> DASHBOARD;
        default -> {
          if (path.startsWith("/v1/groups/") && path.length() > "/v1/groups/".length()) {
            yield GROUP;
          }
          yield Dashboard.has(path) ? ASSET : null;
        }
      };
    }
  }

  // ---- endpoints -------------------------------------------------------------------------------

  private void ready(HttpExchange x) throws IOException {
    try {
      backend.control().status(); // answers only when the engine runs its tasks
      sendJson(x, 200, Map.of("ready", true));
    } catch (ControlException e) {
      sendJson(x, 503, Map.of("ready", false, "error", String.valueOf(e.getMessage())));
    }
  }

  private ObjectNode statusJson(StatusView status) {
    ObjectNode n = ControlJson.MAPPER.valueToTree(status);
    n.put("configHash", ConfigHash.of(backend.config()));
    n.put("maintenance", backend.maintenance());
    return n;
  }

  private void group(HttpExchange x, String name) throws IOException {
    for (var g : backend.control().status().groups()) {
      if (g.name().equals(name)) {
        sendJson(x, 200, g);
        return;
      }
    }
    throw new HttpError(404, "no group " + name + " here");
  }

  ClusterView cluster() {
    StatusView self = backend.control().status();
    return ClusterView.of(
        self, ConfigHash.of(backend.config()), backend.maintenance(), peers.peers());
  }

  /**
   * {@code GET /v1/events?limit=N&after=ID} pages forward (oldest first, after ID); without {@code
   * after}, the newest N. {@code next} is the id to pass as {@code after} for the next page.
   */
  private void events(HttpExchange x) throws IOException {
    Map<String, String> q = Query.parse(x.getRequestURI().getRawQuery());
    int limit = Query.integer(q, "limit", 100, 1, MAX_PAGE);
    String after = q.get("after");
    if (after != null && !EVENT_ID.matcher(after).matches()) {
      throw new HttpError(400, "after: not an event id: " + after);
    }
    List<JournalEvent> events =
        after == null
            ? Journal.read(backend.stateDir(), e -> true, limit).events()
            : Journal.readAfter(backend.stateDir(), after, limit).events();
    List<JsonNode> out = new ArrayList<>();
    for (JournalEvent e : events) {
      out.add(ControlJson.MAPPER.readTree(JournalJson.write(e)));
    }
    String next = events.isEmpty() ? after : events.getLast().id();
    ObjectNode body = ControlJson.MAPPER.createObjectNode();
    body.set("events", ControlJson.MAPPER.valueToTree(out));
    body.put("next", next);
    sendJson(x, 200, body);
  }

  static final java.util.regex.Pattern EVENT_ID =
      java.util.regex.Pattern.compile("[0-9a-z]{1,20}(-[A-Za-z0-9_.-]{1,64})?");

  private void move(HttpExchange x) throws IOException {
    JsonNode body = jsonBody(x);
    String group = text(body, "group", true);
    if (body.path("clear").asBoolean(false)) {
      sendMove(x, backend.control().clearMove(group));
      return;
    }
    String to = text(body, "to", true);
    // A move runs on its target (docs/CONTROL.md): a peer we know by name gets it forwarded.
    Optional<URI> peer = peerOf(to, x);
    if (peer.isPresent()) {
      forward(x, peer.get(), "/v1/move", body);
      return;
    }
    sendMove(x, backend.control().move(group, to));
  }

  private void sendMove(HttpExchange x, dev.takeover.control.MoveResult r) throws IOException {
    sendJson(x, r.accepted() ? 200 : 409, r);
  }

  private void maintenance(HttpExchange x) throws IOException {
    JsonNode body = jsonBody(x);
    JsonNode on = body.get("on");
    if (on == null || !on.isBoolean()) {
      throw new HttpError(400, "\"on\" must be true or false");
    }
    if (body.has("node")) {
      String node = text(body, "node", true);
      Optional<URI> peer = peerOf(node, x);
      if (peer.isPresent()) {
        forward(
            x,
            peer.get(),
            "/v1/maintenance",
            ControlJson.MAPPER.createObjectNode().put("on", on.asBoolean()));
        return;
      }
      if (!node.equals(backend.config().node())) {
        throw new HttpError(
            404,
            "unknown node "
                + node
                + "; known: "
                + backend.config().node()
                + " (this node), "
                + String.join(", ", backend.config().api().peers().keySet()));
      }
    }
    sendJson(x, 200, backend.control().maintenance(on.asBoolean()));
  }

  /** A peer of {@code api.peers} other than this node, unless the request was forwarded once. */
  private Optional<URI> peerOf(String node, HttpExchange x) {
    if (node.equals(backend.config().node()) || x.getRequestHeaders().containsKey(FORWARDED)) {
      return Optional.empty();
    }
    return Optional.ofNullable(backend.config().api().peers().get(node));
  }

  /** Forwards a change to the peer it is for, with this cluster's token, and relays the answer. */
  private void forward(HttpExchange x, URI peer, String path, JsonNode body) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(peer.resolve(path))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .header(FORWARDED, backend.config().node())
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(ControlJson.MAPPER.writeValueAsBytes(body)));
    access.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
    HttpResponse<byte[]> r;
    try {
      r = forwarder().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpError(502, "interrupted while forwarding to " + peer);
    } catch (IOException e) {
      throw new HttpError(502, "cannot reach " + peer + ": " + e.getMessage());
    }
    byte[] answer =
        r.body().length > MAX_BODY
            ? "{\"error\":\"answer too large\"}".getBytes(StandardCharsets.UTF_8)
            : r.body();
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.getResponseHeaders().set("X-Takeover-Forwarded-To", peer.toString());
    x.sendResponseHeaders(r.statusCode(), answer.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(answer);
    }
  }

  // ---- server-sent events ----------------------------------------------------------------------

  /**
   * {@code GET /v1/events/stream}: every event from the journal as it is written, each as an SSE
   * message with the event's id, so a client that reconnects with {@code Last-Event-ID} (or {@code
   * ?after=}) gets what it missed first (at most {@value #MAX_PAGE}), then the live ones.
   */
  private boolean stream(HttpExchange x) throws IOException {
    Map<String, String> q = Query.parse(x.getRequestURI().getRawQuery());
    String after = x.getRequestHeaders().getFirst("Last-Event-ID");
    if (after == null) {
      after = q.get("after");
    }
    if (after != null && !EVENT_ID.matcher(after).matches()) {
      throw new HttpError(400, "Last-Event-ID: not an event id: " + after);
    }
    if (!streams.tryAcquire()) {
      throw new HttpError(503, "too many event streams (" + MAX_STREAMS + ")");
    }
    BlockingQueue<Map<String, Object>> queue = new ArrayBlockingQueue<>(STREAM_QUEUE);
    java.util.concurrent.atomic.AtomicBoolean overflow =
        new java.util.concurrent.atomic.AtomicBoolean();
    AutoCloseable subscription;
    try {
      // Subscribe before reading the backlog, so nothing falls between the two; ids drop doubles.
      subscription =
          backend
              .control()
              .followEvents(
                  e -> {
                    if (!queue.offer(e)) {
                      overflow.set(true);
                    }
                  });
    } catch (RuntimeException e) {
      streams.release();
      throw e;
    }
    Headers h = x.getResponseHeaders();
    h.set("Content-Type", "text/event-stream; charset=utf-8");
    h.set("Cache-Control", "no-store");
    x.sendResponseHeaders(200, 0);
    String from = after;
    Thread.ofVirtual()
        .name("takeover-api-stream")
        .start(() -> serveStream(x, queue, overflow, subscription, from));
    return true;
  }

  private void serveStream(
      HttpExchange x,
      BlockingQueue<Map<String, Object>> queue,
      java.util.concurrent.atomic.AtomicBoolean overflow,
      AutoCloseable subscription,
      String after) {
    try (x;
        OutputStream out = x.getResponseBody()) {
      String last = after == null ? "" : after;
      out.write("retry: 1000\n\n".getBytes(StandardCharsets.UTF_8));
      if (after != null) {
        for (JournalEvent e : Journal.readAfter(backend.stateDir(), after, MAX_PAGE).events()) {
          last = send(out, e.id(), JournalJson.write(e), last);
        }
      }
      out.flush();
      while (!closed) {
        Map<String, Object> e = queue.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        if (overflow.get()) {
          out.write(
              ": too far behind; reconnect with Last-Event-ID\n\n"
                  .getBytes(StandardCharsets.UTF_8));
          return;
        }
        if (e == null) {
          out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
        } else {
          last =
              send(
                  out, String.valueOf(e.get("id")), ControlJson.MAPPER.writeValueAsString(e), last);
        }
        out.flush();
      }
    } catch (IOException e) {
      // the client went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        subscription.close();
      } catch (Exception e) {
        // nothing to do
      }
      streams.release();
    }
  }

  /** Writes one SSE message unless its id is not after {@code last}; returns the new last id. */
  private static String send(OutputStream out, String id, String json, String last)
      throws IOException {
    if (id.compareTo(last) <= 0) {
      return last;
    }
    out.write(
        ("id: " + id + "\nevent: journal\ndata: " + json + "\n\n")
            .getBytes(StandardCharsets.UTF_8));
    return id;
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static JsonNode jsonBody(HttpExchange x) throws IOException {
    String type = x.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new HttpError(415, "Content-Type must be application/json");
    }
    byte[] body = body(x);
    try {
      JsonNode n = ControlJson.MAPPER.readTree(body);
      if (n == null || !n.isObject()) {
        throw new HttpError(400, "the body must be a JSON object");
      }
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new HttpError(400, "malformed JSON: " + e.getOriginalMessage());
    }
  }

  /** The request body, at most {@value #MAX_BODY} bytes; a longer one is refused unread. */
  static byte[] body(HttpExchange x) throws IOException {
    String length = x.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      long n;
      try {
        n = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw new HttpError(400, "bad Content-Length");
      }
      if (n > MAX_BODY) {
        throw new HttpError(413, "body over " + MAX_BODY + " bytes");
      }
    }
    try (InputStream in = x.getRequestBody()) {
      byte[] b = in.readNBytes(MAX_BODY + 1);
      if (b.length > MAX_BODY) {
        throw new HttpError(413, "body over " + MAX_BODY + " bytes");
      }
      return b;
    }
  }

  private static String text(JsonNode body, String key, boolean required) {
    JsonNode v = body.get(key);
    if (v == null || !v.isTextual() || v.asText().isEmpty() || v.asText().length() > 255) {
      if (!required && v == null) {
        return null;
      }
      throw new HttpError(400, "\"" + key + "\" must be a non-empty string");
    }
    return v.asText();
  }

  static void sendJson(HttpExchange x, int status, Object body) throws IOException {
    byte[] bytes = ControlJson.MAPPER.writeValueAsBytes(body);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.getResponseHeaders().set("Cache-Control", "no-store");
    if ("HEAD".equals(x.getRequestMethod())) {
      x.sendResponseHeaders(status, -1);
      return;
    }
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sendError(HttpExchange x, int status, String message) throws IOException {
    sendJson(x, status, Map.of("error", message, "status", status));
  }

  private static void trySendError(
      HttpExchange x, int status, String message, Map<String, String> headers) {
    try {
      headers.forEach((k, v) -> x.getResponseHeaders().set(k, v));
      sendError(x, status, message);
    } catch (IOException | RuntimeException e) {
      // headers already sent, or the client left
    }
  }

  /** A refusal with its status; the message goes back as {@code {"error": ...}}. */
  static final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1;
    final int status;
    final transient Map<String, String> headers;

    HttpError(int status, String message) {
      this(status, message, Map.of());
    }

    HttpError(int status, String message, Map<String, String> headers) {
      super(message, null, false, false);
      this.status = status;
      this.headers = headers;
    }
  }

  /** Query strings: {@code a=1&b=2}, at most 16 pairs. */
  static final class Query {
    private Query() {}

    static Map<String, String> parse(String raw) {
      Map<String, String> out = new java.util.LinkedHashMap<>();
      if (raw == null || raw.isEmpty()) {
        return out;
      }
      String[] pairs = raw.split("&", 17);
      if (pairs.length > 16) {
        throw new HttpError(400, "too many query parameters");
      }
      for (String p : pairs) {
        int eq = p.indexOf('=');
        String k =
            java.net.URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8);
        String v =
            eq < 0 ? "" : java.net.URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
        out.put(k, v);
      }
      return out;
    }

    static int integer(Map<String, String> q, String key, int dflt, int min, int max) {
      String v = q.get(key);
      if (v == null) {
        return dflt;
      }
      try {
        int n = Integer.parseInt(v);
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new HttpError(400, key + ": not an integer " + min + ".." + max + ": " + v);
    }
  }

  /** The sampler of {@link Metrics}, from the backend. */
  static Supplier<StatusView> statusOf(ApiBackend backend) {
    return () -> backend.control().status();
  }
}
