package dev.takeover.wire;

import java.net.Inet4Address;
import java.util.Arrays;
import java.util.Objects;

/**
 * An Ethernet/IPv4 ARP packet (RFC 826).
 *
 * @param operation {@link #REQUEST} or {@link #REPLY}
 */
public record ArpPacket(
    int operation,
    MacAddress senderMac,
    Inet4Address senderIp,
    MacAddress targetMac,
    Inet4Address targetIp) {
  /** ARP operation code for a request. */
  public static final int REQUEST = 1;

  /** ARP operation code for a reply. */
  public static final int REPLY = 2;

  public ArpPacket {
    if (operation != REQUEST && operation != REPLY) {
      throw new IllegalArgumentException("operation must be 1 or 2, got " + operation);
    }
    Objects.requireNonNull(senderMac, "senderMac");
    Objects.requireNonNull(senderIp, "senderIp");
    Objects.requireNonNull(targetMac, "targetMac");
    Objects.requireNonNull(targetIp, "targetIp");
  }

  /** RFC 5227 §2.1.1: an ARP Probe is a request with sender IP 0.0.0.0. */
  public boolean isProbe() {
    return operation == REQUEST && Arrays.equals(senderIp.getAddress(), new byte[4]);
  }

  /** RFC 5227 §3: an ARP Announcement (gratuitous ARP) has sender IP = target IP. */
  public boolean isAnnouncement() {
    return senderIp.equals(targetIp);
  }

  /**
   * RFC 5227 §2.4 (and §2.1.1 while probing): another host uses {@code address}: it is the sender
   * IP of a packet from a MAC address that is not ours.
   */
  public boolean claimedByOther(Inet4Address address, MacAddress ownMac) {
    return senderIp.equals(address) && !senderMac.equals(ownMac);
  }

  /** RFC 5227 §2.1.1: another host is probing for {@code address} at the same time as we are. */
  public boolean probedByOther(Inet4Address address, MacAddress ownMac) {
    return isProbe() && targetIp.equals(address) && !senderMac.equals(ownMac);
  }

  /**
   * A gateway probe's answer (docs/LINKS.md): an ARP reply (RFC 826) whose sender IP is {@code
   * gateway}, not sent from our own MAC, addressed to us (or broadcast, as RFC 5227 §2.6 allows). A
   * reply to another host's request is not ours: a bridge that has not learned that host's MAC
   * floods it to every port, and a packet socket sees it. Which request it answers, ARP does not
   * say.
   */
  public boolean isReplyFrom(Inet4Address gateway, MacAddress ownMac) {
    return operation == REPLY
        && senderIp.equals(gateway)
        && !senderMac.equals(ownMac)
        && (targetMac.equals(ownMac) || targetMac.equals(MacAddress.BROADCAST));
  }
}
