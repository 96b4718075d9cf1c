package dev.takeover.platform;

import java.net.InetAddress;

/**
 * Receives one VRRP packet on the {@link SocketPoller}'s thread.
 *
 * <p>{@code payload} is a buffer reused for every packet: read bytes {@code [0, length)} during the
 * call and copy what must be kept. Address objects are cached and may be shared between calls.
 */
@FunctionalInterface
public interface VrrpPacketHandler {

  /**
   * @param payload the VRRP message (IP header already removed)
   * @param length number of valid bytes in {@code payload}
   * @param source IP source address of the packet
   * @param destination IP destination (the VRRP multicast group or a local unicast address)
   * @param ttl IPv4 TTL or IPv6 hop limit as received (RFC 5798 §7.1 requires 255)
   * @param ifindex interface the packet arrived on
   */
  void onPacket(
      byte[] payload,
      int length,
      InetAddress source,
      InetAddress destination,
      int ttl,
      int ifindex);
}
