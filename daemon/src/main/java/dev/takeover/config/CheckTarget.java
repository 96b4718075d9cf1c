package dev.takeover.config;

import java.net.InetAddress;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** What a health check probes, and how; one record per check {@code type}. */
public sealed interface CheckTarget {

  /** The {@code type} as the config file spells it: {@code tcp}, {@code http}, ... */
  String type();

  /**
   * Passes when a TCP connection to {@code host:port} is established within the timeout.
   *
   * @param host an IP literal in canonical form, or a host name resolved at each probe
   */
  record Tcp(String host, int port) implements CheckTarget {
    public Tcp {
      Objects.requireNonNull(host, "host");
    }

    @Override
    public String type() {
      return "tcp";
    }
  }

  /**
   * Passes when a GET of {@code url} answers with a status in {@code statusLow..statusHigh} and, if
   * {@code bodyMatch} is set, a body in which the pattern is found.
   *
   * <p>{@link Pattern} has identity equality; this record compares patterns by their source text
   * and flags, so two loads of the same file are equal (which {@link ConfigDiff} relies on).
   *
   * @param insecureTls skip certificate verification for {@code https}
   */
  record Http(
      URI url, int statusLow, int statusHigh, Optional<Pattern> bodyMatch, boolean insecureTls)
      implements CheckTarget {
    public Http {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(bodyMatch, "bodyMatch");
    }

    @Override
    public String type() {
      return "http";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Http h
          && url.equals(h.url)
          && statusLow == h.statusLow
          && statusHigh == h.statusHigh
          && insecureTls == h.insecureTls
          && patternKey(bodyMatch).equals(patternKey(h.bodyMatch));
    }

    @Override
    public int hashCode() {
      return Objects.hash(url, statusLow, statusHigh, patternKey(bodyMatch), insecureTls);
    }

    private static Optional<String> patternKey(Optional<Pattern> p) {
      return p.map(x -> x.flags() + "/" + x.pattern());
    }
  }

  /**
   * Passes when {@code server} answers a {@code recordType} query for {@code query} with at least
   * one record, and, if {@code expect} is set, one of the answers is that address.
   *
   * @param recordType upper case: A, AAAA, CNAME, MX, TXT, NS, SOA, PTR, SRV
   */
  record Dns(
      InetAddress server, int port, String query, String recordType, Optional<InetAddress> expect)
      implements CheckTarget {
    public Dns {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(query, "query");
      Objects.requireNonNull(recordType, "recordType");
      Objects.requireNonNull(expect, "expect");
    }

    @Override
    public String type() {
      return "dns";
    }
  }

  /**
   * Passes when the DHCPv4 {@code server} answers a request.
   *
   * @param interfaceName the interface to send from; empty to let routing decide
   */
  record Dhcp(InetAddress server, Optional<String> interfaceName) implements CheckTarget {
    public Dhcp {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(interfaceName, "interfaceName");
    }

    @Override
    public String type() {
      return "dhcp";
    }
  }

  /**
   * Passes when the command exits 0 within the timeout. Run without a shell, like hooks.
   *
   * @param command argv; the first element an absolute path
   * @param env added to the daemon's environment, in file order
   */
  record Script(List<String> command, Map<String, String> env) implements CheckTarget {
    public Script {
      command = List.copyOf(command);
      env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
      if (command.isEmpty()) {
        throw new IllegalArgumentException("a script check needs a command");
      }
    }

    @Override
    public String type() {
      return "script";
    }
  }
}
