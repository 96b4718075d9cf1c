package dev.takeover.config;

import static dev.takeover.config.Diagnostics.quote;

import dev.takeover.config.ConfigNode.Scalar;
import dev.takeover.config.ConfigNode.ScalarKind;
import dev.takeover.config.Readers.IntRule;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What each check type probes: the keys of {@code tcp}, {@code http}, {@code dns}, {@code dhcp} and
 * {@code script} checks.
 */
final class CheckTargetRules {

  private static final IntRule PORT = new IntRule(1, 65535);
  private static final IntRule HTTP_STATUS = new IntRule(100, 599); // RFC 9110 §15
  private static final List<String> RECORD_TYPES =
      List.of("A", "AAAA", "CNAME", "MX", "TXT", "NS", "SOA", "PTR", "SRV");
  // RFC 1123 §2.1 host names; DNS query names may also hold '_' (RFC 2782 SRV owner names).
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
  private static final Pattern QUERY_NAME =
      Pattern.compile(
          "(?=.{1,254}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
              + "(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");
  private static final Pattern STATUS_RANGE = Pattern.compile("([0-9]{1,3})(?:-([0-9]{1,3}))?");

  private final Readers read;
  private final Diagnostics diagnostics;
  private final CommandRules commands;

  CheckTargetRules(Readers read, CommandRules commands) {
    this.read = read;
    this.diagnostics = read.diagnostics;
    this.commands = commands;
  }

  /** The target of a check of {@code type}, one of {@link ConfigValidator#CHECK_TYPES}. */
  CheckTarget target(Section c, String type) {
    return switch (type) {
      case "tcp" -> tcpTarget(c);
      case "http" -> httpTarget(c);
      case "dns" -> dnsTarget(c);
      case "dhcp" -> dhcpTarget(c);
      case "script" -> scriptTarget(c);
      default -> throw new IllegalStateException("check type " + type);
    };
  }

  private CheckTarget tcpTarget(Section c) {
    String host = host(c, "host");
    Integer port = read.integer(c, "port", PORT, null);
    return host == null || port == null ? null : new CheckTarget.Tcp(host, port);
  }

  /** An IP literal (in canonical form) or an RFC 1123 host name, not resolved here. */
  private String host(Section c, String key) {
    String allowed = "a host name or IP address, e.g. 198.18.0.1 or web.example.test";
    Scalar value = read.scalarText(c, key, allowed);
    if (value == null) {
      return null;
    }
    String text = value.text();
    Optional<InetAddress> ip = IpLiterals.parse(text);
    if (ip.isPresent()) {
      String kind = unreachableKind(ip.get());
      if (kind != null) {
        diagnostics.reject(value, c.path(key), "is " + kind, allowed);
        return null;
      }
      return IpLiterals.format(ip.get());
    }
    if (value.kind() != ScalarKind.STRING || text.contains(":") || text.matches("[0-9.]+")) {
      diagnostics.reject(value, c.path(key), IpLiterals.problem(text), allowed);
      return null;
    }
    // A dotted name whose last label is all digits would be taken for an address by resolvers.
    if (!HOST_NAME.matcher(text).matches() || text.replaceAll("\\.$", "").matches(".*\\.[0-9]+")) {
      diagnostics.reject(value, c.path(key), "is not a valid host name", allowed);
      return null;
    }
    return text;
  }

  /**
   * Why an address cannot be probed, or null. Loopback is fine here (a local service), unlike for
   * virtual addresses.
   */
  private static String unreachableKind(InetAddress address) {
    String kind = AddressRules.unusableKind(address);
    return address.isLoopbackAddress() ? null : kind;
  }

  /** An IP address to send probes to, of {@code family} if that is not null. */
  private InetAddress probeAddress(
      Section c, String key, AddressFamily family, String allowed, boolean required) {
    if (!c.has(key) && !required) {
      return null;
    }
    Scalar value = read.scalarText(c, key, allowed);
    if (value == null) {
      return null;
    }
    if (value.kind() != ScalarKind.STRING) {
      diagnostics.reject(value, c.path(key), "is not an address", allowed);
      return null;
    }
    Optional<InetAddress> parsed = IpLiterals.parse(value.text());
    if (parsed.isEmpty()) {
      String problem =
          value.text().contains("/") ? "has a prefix length" : IpLiterals.problem(value.text());
      diagnostics.reject(value, c.path(key), problem, allowed);
      return null;
    }
    InetAddress address = parsed.get();
    String kind = unreachableKind(address);
    if (kind != null) {
      diagnostics.reject(value, c.path(key), "is " + kind, allowed);
      return null;
    }
    if (family != null && AddressFamily.of(address) != family) {
      diagnostics.reject(
          value, c.path(key), "is " + AddressFamily.of(address).displayName(), allowed);
      return null;
    }
    return address;
  }

  private CheckTarget httpTarget(Section c) {
    URI url = url(c);
    int[] status = expectStatus(c);
    Optional<Pattern> bodyMatch = bodyMatch(c);
    Boolean insecure = read.bool(c, "insecure-tls", false);
    if (Boolean.TRUE.equals(insecure) && url != null && url.getScheme().equals("http")) {
      diagnostics.warning(
          c.entry("insecure-tls").value(),
          c.path("insecure-tls") + ": has no effect on an http:// url; it applies to https only");
    }
    if (url == null || status == null || bodyMatch == null || insecure == null) {
      return null;
    }
    return new CheckTarget.Http(url, status[0], status[1], bodyMatch, insecure);
  }

  private URI url(Section c) {
    String allowed = "an http:// or https:// URL, e.g. http://198.18.0.1:8080/health";
    Scalar value = read.scalarText(c, "url", allowed);
    if (value == null) {
      return null;
    }
    URI url;
    try {
      url = new URI(value.text());
    } catch (URISyntaxException e) {
      diagnostics.reject(value, c.path("url"), "is not a URL (" + e.getReason() + ")", allowed);
      return null;
    }
    String scheme = url.getScheme() == null ? null : url.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
      String problem = scheme == null ? "has no scheme" : "has scheme " + quote(url.getScheme());
      diagnostics.reject(value, c.path("url"), problem, allowed);
      return null;
    }
    if (url.getHost() == null) {
      diagnostics.reject(value, c.path("url"), "has no valid host", allowed);
      return null;
    }
    if (url.getPort() == 0 || url.getPort() > PORT.max()) {
      diagnostics.reject(
          value, c.path("url"), "has port " + url.getPort(), allowed + ", port 1..65535");
      return null;
    }
    return url.normalize();
  }

  /** {@code [low, high]}; 200..399 when left out. */
  private int[] expectStatus(Section c) {
    String allowed =
        "a status " + HTTP_STATUS.allowed() + " or a range of them, e.g. 200 or \"200-399\"";
    if (!c.has("expect-status")) {
      return new int[] {200, 399};
    }
    ConfigNode node = read.value(c, "expect-status", allowed);
    if (node == null) {
      return null;
    }
    String text =
        node instanceof Scalar sc
                && (sc.kind() == ScalarKind.INTEGER || sc.kind() == ScalarKind.STRING)
            ? sc.text()
            : "";
    Matcher m = STATUS_RANGE.matcher(text);
    if (!m.matches()) {
      diagnostics.reject(node, c.path("expect-status"), "is not a status or range", allowed);
      return null;
    }
    int low = Integer.parseInt(m.group(1));
    int high = m.group(2) == null ? low : Integer.parseInt(m.group(2));
    if (low < HTTP_STATUS.min() || high > HTTP_STATUS.max() || high < HTTP_STATUS.min()) {
      diagnostics.reject(node, c.path("expect-status"), "is out of range", allowed);
      return null;
    }
    if (low > high) {
      diagnostics.reject(node, c.path("expect-status"), "is an empty range", allowed);
      return null;
    }
    return new int[] {low, high};
  }

  private Optional<Pattern> bodyMatch(Section c) {
    String allowed = "a Java regular expression, searched for anywhere in the body";
    if (!c.has("body-match")) {
      return Optional.empty();
    }
    Scalar value = read.scalarText(c, "body-match", allowed);
    if (value == null) {
      return null;
    }
    try {
      return Optional.of(Pattern.compile(value.text()));
    } catch (PatternSyntaxException e) {
      diagnostics.reject(
          value,
          c.path("body-match"),
          "is not a valid regular expression ("
              + e.getDescription()
              + " at index "
              + e.getIndex()
              + ")",
          allowed);
      return null;
    }
  }

  private CheckTarget dnsTarget(Section c) {
    InetAddress server = probeAddress(c, "server", null, "an IP address, e.g. 198.18.0.53", true);
    Integer port = read.integer(c, "port", PORT, 53);
    String query = queryName(c);
    String recordType = recordType(c);
    Optional<InetAddress> expect = dnsExpect(c, recordType);
    if (server == null || port == null || query == null || recordType == null || expect == null) {
      return null;
    }
    return new CheckTarget.Dns(server, port, query, recordType, expect);
  }

  private String queryName(Section c) {
    String allowed = "a domain name, e.g. www.example.test";
    Scalar value = read.scalarText(c, "query", allowed);
    if (value == null) {
      return null;
    }
    if (value.kind() != ScalarKind.STRING || !QUERY_NAME.matcher(value.text()).matches()) {
      diagnostics.reject(value, c.path("query"), "is not a valid domain name", allowed);
      return null;
    }
    return value.text();
  }

  /** Upper case; written in any case. A when left out. */
  private String recordType(Section c) {
    String allowed = String.join(", ", RECORD_TYPES);
    if (!c.has("record-type")) {
      return "A";
    }
    Scalar value = read.scalarText(c, "record-type", allowed);
    if (value == null) {
      return null;
    }
    String upper = value.text().toUpperCase(Locale.ROOT);
    if (value.kind() != ScalarKind.STRING || !RECORD_TYPES.contains(upper)) {
      diagnostics.reject(value, c.path("record-type"), "is not a supported record type", allowed);
      return null;
    }
    return upper;
  }

  private Optional<InetAddress> dnsExpect(Section c, String recordType) {
    if (!c.has("expect")) {
      return Optional.empty();
    }
    if (recordType == null) {
      return null; // the record type's error is enough
    }
    if (!recordType.equals("A") && !recordType.equals("AAAA")) {
      diagnostics.reject(
          c.entry("expect").value(),
          c.path("expect"),
          "is set for record-type " + recordType,
          "only with record-type A or AAAA");
      return null;
    }
    AddressFamily family = recordType.equals("A") ? AddressFamily.IPV4 : AddressFamily.IPV6;
    String allowed = "an " + family.displayName() + " address for record-type " + recordType;
    InetAddress expect = probeAddress(c, "expect", family, allowed, true);
    return expect == null ? null : Optional.of(expect);
  }

  private CheckTarget dhcpTarget(Section c) {
    InetAddress server =
        probeAddress(
            c, "server", AddressFamily.IPV4, "an IPv4 address (DHCPv4), e.g. 198.18.0.67", true);
    Optional<String> iface = Optional.empty();
    if (c.has("interface")) {
      String name = read.interfaceName(c);
      iface = name == null ? null : Optional.of(name);
    }
    if (server == null || iface == null) {
      return null;
    }
    return new CheckTarget.Dhcp(server, iface);
  }

  private CheckTarget scriptTarget(Section c) {
    List<String> command = commands.command(c);
    Map<String, String> env = commands.env(c);
    return command == null || env == null ? null : new CheckTarget.Script(command, env);
  }
}
