package dev.takeover.config;

import dev.takeover.wire.AddressText;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Strict parsing and canonical printing of IP address literals, without any name lookup.
 *
 * <p>The JDK's parsers are too lenient for a config file: {@code Inet4Address.ofLiteral} accepts
 * {@code 198.18.50} (meaning 198.18.0.50), {@code Inet6Address.ofLiteral} turns {@code
 * ::ffff:198.18.0.1} into an IPv4 address and accepts zone ids and brackets. An operator who writes
 * one of those almost certainly meant something else, so they are rejected here.
 */
final class IpLiterals {
  private IpLiterals() {}

  // Four decimal octets without leading zeros (a leading zero means octal to inet_aton).
  private static final Pattern IPV4 =
      Pattern.compile(
          "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\\.){3}"
              + "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  /** The address {@code text} spells, or empty if it is not a plain IPv4 or IPv6 literal. */
  static Optional<InetAddress> parse(String text) {
    try {
      if (IPV4.matcher(text).matches()) {
        return Optional.of(Inet4Address.ofLiteral(text));
      }
      if (text.contains(":") && IPV6_CHARS.matcher(text).matches()) {
        InetAddress address = Inet6Address.ofLiteral(text);
        // An IPv4-mapped literal comes back as Inet4Address; it is not a usable VRRP address.
        return address instanceof Inet6Address ? Optional.of(address) : Optional.empty();
      }
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * Why {@code text} is not accepted by {@link #parse}, phrased to follow the quoted text in an
   * error message.
   */
  static String problem(String text) {
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("%")) {
      return "has a zone index";
    }
    if (lower.startsWith("::ffff:") && lower.contains(".")) {
      return "is an IPv4-mapped IPv6 address";
    }
    return "is not an IP address";
  }

  /** Dotted quad for IPv4, RFC 5952 canonical text for IPv6 ({@code 2001:db8::50}). */
  static String format(InetAddress address) {
    return AddressText.of(address);
  }
}
