package dev.takeover.config;

import dev.takeover.config.ApiConfig.Tls;
import dev.takeover.config.ApiConfig.Webhook;
import dev.takeover.config.ConfigNode.ListNode;
import dev.takeover.config.ConfigNode.MapNode;
import dev.takeover.config.ConfigNode.Scalar;
import dev.takeover.config.Readers.DurationRule;
import dev.takeover.journal.EventType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The top-level {@code api} section (docs/API.md, docs/CONFIG.md). */
final class ApiRules {
  static final List<String> API_KEYS =
      List.of("listen", "tls-listen", "tls", "token-file", "peers", "webhooks");
  static final List<String> TLS_KEYS = List.of("certificate", "key", "pkcs12", "password-file");
  static final List<String> WEBHOOK_KEYS = List.of("url", "events", "secret-file", "timeout");

  static final int MAX_LISTEN = 8;
  static final int MAX_PEERS = 32;
  static final int MAX_WEBHOOKS = 8;
  static final Duration DEFAULT_WEBHOOK_TIMEOUT = Duration.ofSeconds(5);
  private static final DurationRule WEBHOOK_TIMEOUT =
      new DurationRule(Duration.ofMillis(100), Duration.ofSeconds(60), 1, false);
  private static final String LISTEN_ALLOWED =
      "a list of address:port, e.g. 127.0.0.1:9180 or [2001:db8::1]:9180";
  private static final Pattern HOST_PORT =
      Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([0-9.]+)):(\\d{1,5})");
  private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  private final Readers read;
  private final Diagnostics diagnostics;

  ApiRules(Readers read) {
    this.read = read;
    this.diagnostics = read.diagnostics;
  }

  /** The {@code api} section; its defaults when absent; null on any error. */
  ApiConfig api(Section top) {
    if (!top.has("api")) {
      return ApiConfig.DEFAULTS;
    }
    Section s = read.subsection(top, "api", API_KEYS);
    if (s == null) {
      return null;
    }
    boolean ok = true;
    List<InetSocketAddress> listen =
        s.has("listen") ? addresses(s, "listen") : ApiConfig.DEFAULTS.listen();
    List<InetSocketAddress> tlsListen =
        s.has("tls-listen") ? addresses(s, "tls-listen") : List.of();
    Optional<Tls> tls = Optional.empty();
    if (s.has("tls")) {
      Tls t = tls(s);
      ok &= t != null;
      tls = Optional.ofNullable(t);
    }
    if (tlsListen != null && !tlsListen.isEmpty() && !s.has("tls")) {
      diagnostics.error(
          s.entry("tls-listen").value(),
          s.path("tls-listen")
              + ": HTTPS addresses without a certificate; allowed: add api.tls with certificate"
              + " and key, or pkcs12 and password-file");
      ok = false;
    }
    Optional<Path> tokenFile = Optional.empty();
    if (s.has("token-file")) {
      Path p = path(s, "token-file");
      ok &= p != null;
      tokenFile = Optional.ofNullable(p);
    }
    if (tokenFile.isEmpty() && ok && listen != null && tlsListen != null) {
      for (String key : List.of("listen", "tls-listen")) {
        List<InetSocketAddress> list = key.equals("listen") ? listen : tlsListen;
        if (list.stream().anyMatch(a -> !a.getAddress().isLoopbackAddress())) {
          diagnostics.error(
              s.entry(key).value(),
              s.path(key)
                  + ": an address other clients can reach needs a token; allowed: add"
                  + " api.token-file, or listen on loopback only");
          ok = false;
        }
      }
    }
    Map<String, URI> peers = s.has("peers") ? peers(s) : Map.of();
    List<Webhook> webhooks = s.has("webhooks") ? webhooks(s) : List.of();
    if (!ok || listen == null || tlsListen == null || peers == null || webhooks == null) {
      return null;
    }
    return new ApiConfig(listen, tlsListen, tls, tokenFile, peers, webhooks);
  }

  private List<InetSocketAddress> addresses(Section s, String key) {
    ListNode list = read.listOf(s, key, LISTEN_ALLOWED);
    if (list == null || !read.counted(list, s.path(key), "address", 0, MAX_LISTEN, "addresses")) {
      return null;
    }
    List<InetSocketAddress> out = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < list.items().size(); i++) {
      ConfigNode item = list.items().get(i);
      String path = s.path(key) + "[" + i + "]";
      InetSocketAddress a = hostPort(item, path);
      if (a == null) {
        ok = false;
      } else if (out.contains(a)) {
        diagnostics.reject(item, path, "is listed twice", LISTEN_ALLOWED);
        ok = false;
      } else {
        out.add(a);
      }
    }
    return ok ? out : null;
  }

  private InetSocketAddress hostPort(ConfigNode item, String path) {
    if (!(item instanceof Scalar scalar)) {
      diagnostics.reject(item, path, "is not a single value", LISTEN_ALLOWED);
      return null;
    }
    var m = HOST_PORT.matcher(scalar.text());
    if (!m.matches()) {
      diagnostics.reject(item, path, "is not address:port", LISTEN_ALLOWED);
      return null;
    }
    int port = Integer.parseInt(m.group(3));
    if (port < 1 || port > 65535) {
      diagnostics.reject(item, path, "has port " + port + ", not 1-65535", LISTEN_ALLOWED);
      return null;
    }
    String host = m.group(1) != null ? m.group(1) : m.group(2);
    try {
      return new InetSocketAddress(InetAddress.ofLiteral(host), port);
    } catch (IllegalArgumentException e) {
      diagnostics.reject(item, path, "has no IP address literal", LISTEN_ALLOWED);
      return null;
    }
  }

  private Tls tls(Section parent) {
    Section s = read.subsection(parent, "tls", TLS_KEYS);
    if (s == null) {
      return null;
    }
    Optional<Path> cert = optionalPath(s, "certificate");
    Optional<Path> key = optionalPath(s, "key");
    Optional<Path> p12 = optionalPath(s, "pkcs12");
    Optional<Path> password = optionalPath(s, "password-file");
    if (cert == null || key == null || p12 == null || password == null) {
      return null;
    }
    boolean pem = cert.isPresent() && key.isPresent();
    boolean pkcs12 = p12.isPresent();
    if (pem == pkcs12 || (pem && password.isPresent()) || cert.isPresent() != key.isPresent()) {
      diagnostics.error(
          parent.entry("tls").value(),
          parent.path("tls")
              + ": give either certificate and key (PEM) or pkcs12 (with password-file);"
              + " allowed: one of the two forms");
      return null;
    }
    return new Tls(cert, key, p12, password);
  }

  /** Absent: empty; present and bad: null. */
  private Optional<Path> optionalPath(Section s, String key) {
    if (!s.has(key)) {
      return Optional.empty();
    }
    Path p = path(s, key);
    return p == null ? null : Optional.of(p);
  }

  private Path path(Section s, String key) {
    String allowed = "an absolute path, e.g. /etc/takeover/api-token";
    Scalar value = read.scalarText(s, key, allowed);
    if (value == null) {
      return null;
    }
    try {
      Path path = Path.of(value.text());
      if (path.isAbsolute()) {
        return path.normalize();
      }
      diagnostics.reject(value, s.path(key), "is not an absolute path", allowed);
    } catch (InvalidPathException e) {
      diagnostics.reject(value, s.path(key), "is not a valid path", allowed);
    }
    return null;
  }

  private Map<String, URI> peers(Section s) {
    String allowed = "a mapping of node name to API URL, e.g. {beta: http://198.18.0.2:9180}";
    ConfigNode node = read.value(s, "peers", allowed);
    if (node == null) {
      return null;
    }
    if (!(node instanceof MapNode map)) {
      diagnostics.reject(node, s.path("peers"), "is not a mapping", allowed);
      return null;
    }
    if (map.entries().size() > MAX_PEERS) {
      diagnostics.error(
          node, s.path("peers") + ": " + map.entries().size() + " peers; allowed: 0.." + MAX_PEERS);
      return null;
    }
    Map<String, URI> out = new LinkedHashMap<>();
    boolean ok = true;
    for (ConfigNode.Entry e : map.entries()) {
      String path = s.path("peers") + "." + e.key();
      if (!NODE_NAME.matcher(e.key()).matches() || out.containsKey(e.key())) {
        diagnostics.error(
            e.line(),
            e.column(),
            path
                + ": not a node name, or listed twice; allowed: letters, digits, '_', '.', '-',"
                + " each node once");
        ok = false;
        continue;
      }
      if (!(e.value() instanceof Scalar value)) {
        diagnostics.reject(e.value(), path, "is not a single value", allowed);
        ok = false;
        continue;
      }
      URI uri = httpUrl(value, path, allowed);
      if (uri == null) {
        ok = false;
      } else {
        out.put(e.key(), uri);
      }
    }
    return ok ? out : null;
  }

  private URI httpUrl(Scalar value, String path, String allowed) {
    try {
      URI uri = new URI(value.text());
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null
          && uri.getRawQuery() == null
          && uri.getRawFragment() == null
          && uri.getRawUserInfo() == null) {
        return uri;
      }
      diagnostics.reject(value, path, "is not an http(s) URL with a host", allowed);
    } catch (URISyntaxException e) {
      diagnostics.reject(value, path, "is not a URL (" + e.getReason() + ")", allowed);
    }
    return null;
  }

  private List<Webhook> webhooks(Section s) {
    String allowed =
        "a list of 0.." + MAX_WEBHOOKS + " webhooks (url, events, secret-file, timeout)";
    ListNode list = read.listOf(s, "webhooks", allowed);
    if (list == null
        || !read.counted(list, s.path("webhooks"), "webhook", 0, MAX_WEBHOOKS, "webhooks")) {
      return null;
    }
    List<Webhook> out = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < list.items().size(); i++) {
      Webhook w = webhook(list.items().get(i), s.path("webhooks") + "[" + i + "]");
      if (w == null) {
        ok = false;
      } else {
        out.add(w);
      }
    }
    return ok ? out : null;
  }

  private Webhook webhook(ConfigNode node, String path) {
    Section s = read.mapping(node, path, WEBHOOK_KEYS);
    if (s == null) {
      return null;
    }
    String urlAllowed = "an http(s) URL, e.g. https://alerts.example.test/takeover";
    Scalar url = read.scalarText(s, "url", urlAllowed);
    URI uri = url == null ? null : httpUrl(url, s.path("url"), urlAllowed);
    Set<String> events = s.has("events") ? events(s) : Set.of();
    Optional<Path> secret = optionalPath(s, "secret-file");
    Duration timeout = read.duration(s, "timeout", WEBHOOK_TIMEOUT, DEFAULT_WEBHOOK_TIMEOUT);
    if (uri == null || events == null || secret == null || timeout == null) {
      return null;
    }
    return new Webhook(uri, events, secret, timeout);
  }

  private Set<String> events(Section s) {
    List<String> types =
        java.util.Arrays.stream(EventType.values()).map(EventType::wireName).toList();
    String allowed = "a list of event types: " + String.join(", ", types);
    ListNode list = read.listOf(s, "events", allowed);
    if (list == null) {
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    boolean ok = true;
    for (int i = 0; i < list.items().size(); i++) {
      ConfigNode item = list.items().get(i);
      String path = s.path("events") + "[" + i + "]";
      if (item instanceof Scalar scalar && EventType.fromWireName(scalar.text()).isPresent()) {
        out.add(scalar.text());
      } else {
        diagnostics.reject(
            item,
            path,
            item instanceof Scalar ? "is not an event type" : "is not a single value",
            allowed);
        ok = false;
      }
    }
    return ok ? out : null;
  }
}
