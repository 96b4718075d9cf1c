package dev.takeover.config;

import java.net.Inet4Address;
import java.net.InetAddress;

/** The IP version a VRRP group runs over; RFC 5798 runs one virtual router instance per family. */
public enum AddressFamily {
  IPV4("IPv4"),
  IPV6("IPv6");

  private final String displayName;

  AddressFamily(String displayName) {
    this.displayName = displayName;
  }

  /** The family of {@code address}. */
  public static AddressFamily of(InetAddress address) {
    return address instanceof Inet4Address ? IPV4 : IPV6;
  }

  /** "IPv4" or "IPv6", as logs and error messages spell it. */
  public String displayName() {
    return displayName;
  }
}
