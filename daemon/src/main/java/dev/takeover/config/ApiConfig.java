package dev.takeover.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The management plane (docs/API.md): where the HTTP API listens, the token that guards it, the
 * peers asked for the cluster view and the webhooks.
 *
 * @param listen plain HTTP addresses; default {@code 127.0.0.1:9180}; empty turns the API off
 * @param tlsListen HTTPS addresses (need {@code tls})
 * @param tls the server's certificate and key for {@code tlsListen}, if any
 * @param tokenFile the bearer token, a root-only file: required for every change and for every
 *     client that is not on loopback; without one, the API is read-only and loopback-only
 * @param peers the other nodes' API base URLs by node name, asked for the cluster view and to
 *     forward a move or maintenance for them
 * @param webhooks where to POST events
 */
public record ApiConfig(
    List<InetSocketAddress> listen,
    List<InetSocketAddress> tlsListen,
    Optional<Tls> tls,
    Optional<Path> tokenFile,
    Map<String, URI> peers,
    List<Webhook> webhooks) {

  public static final int DEFAULT_PORT = 9180;

  public static final ApiConfig DEFAULTS =
      new ApiConfig(
          List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT)),
          List.of(),
          Optional.empty(),
          Optional.empty(),
          Map.of(),
          List.of());

  public ApiConfig {
    listen = List.copyOf(listen);
    tlsListen = List.copyOf(tlsListen);
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(tokenFile, "tokenFile");
    peers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(peers));
    webhooks = List.copyOf(webhooks);
  }

  /** The same with other peers (a reload compares the rest). */
  public ApiConfig withPeers(Map<String, URI> newPeers) {
    return new ApiConfig(listen, tlsListen, tls, tokenFile, newPeers, webhooks);
  }

  /**
   * The server's TLS identity: either a PEM certificate chain and PEM (PKCS#8) key, or a PKCS#12
   * store with the password in a file.
   */
  public record Tls(
      Optional<Path> certificate,
      Optional<Path> key,
      Optional<Path> pkcs12,
      Optional<Path> passwordFile) {}

  /**
   * One webhook.
   *
   * @param events the event types to send ({@code state.changed}, ...); empty means all
   * @param secretFile the HMAC-SHA256 key of the signature header, if any
   * @param timeout for one POST
   */
  public record Webhook(URI url, Set<String> events, Optional<Path> secretFile, Duration timeout) {
    public Webhook {
      Objects.requireNonNull(url, "url");
      events = Set.copyOf(events);
      Objects.requireNonNull(secretFile, "secretFile");
      Objects.requireNonNull(timeout, "timeout");
    }

    public boolean wants(String type) {
      return events.isEmpty() || events.contains(type);
    }
  }
}
