package dev.takeover.health;

import dev.takeover.clock.Clock;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;

/**
 * Healthy when the DHCPv4 server {@code server} answers a DHCPINFORM with a DHCPACK within the
 * timeout.
 *
 * <p>Why DHCPINFORM: it asks for configuration only (RFC 2131 §3.4), so the probe neither takes nor
 * blocks a lease, and the server unicasts the DHCPACK to {@code ciaddr} (RFC 2131 §4.3.5). The
 * client therefore needs an IPv4 address the server can reach, {@code localAddress}, which goes
 * into {@code ciaddr}.
 *
 * <p>Which port the reply comes to: RFC 2131 §4.1 sends server-to-client messages to port 68, and
 * ISC dhcpd 4.4 sends the DHCPACK for an INFORM to {@code ciaddr}:68 (DhcpCheckIT confirms it
 * answers there; Kea documents the same, untested here). So the probe binds {@code
 * localAddress}:68, with SO_REUSEADDR so it can share the port with a DHCP client on the host (the
 * kernel hands a unicast datagram to the most specific bind). That needs root or
 * CAP_NET_BIND_SERVICE, which the daemon has anyway.
 *
 * <p>A reply counts only if it is a BOOTREPLY with our random {@code xid}; anything else arriving
 * on the port is ignored. A DHCPNAK is a failure (the server is up but refuses us).
 *
 * @param localAddress this host's IPv4 address on the link toward the server (becomes {@code
 *     ciaddr}); its interface's MAC, if any, becomes {@code chaddr}
 */
public record DhcpCheck(Inet4Address server, Inet4Address localAddress, Duration timeout)
    implements HealthCheck {

  private static final SecureRandom XIDS = new SecureRandom();

  public DhcpCheck {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(localAddress, "localAddress");
    HealthCheck.requirePositive(timeout);
  }

  /**
   * A check from the first IPv4 address of interface {@code interfaceName}, looked up now.
   *
   * @throws IllegalArgumentException if there is no such interface or it has no IPv4 address
   */
  public static DhcpCheck onInterface(Inet4Address server, String interfaceName, Duration timeout) {
    try {
      NetworkInterface nic = NetworkInterface.getByName(interfaceName);
      if (nic == null) {
        throw new IllegalArgumentException("no interface " + interfaceName);
      }
      Inet4Address local =
          nic.inetAddresses()
              .filter(Inet4Address.class::isInstance)
              .map(Inet4Address.class::cast)
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "interface " + interfaceName + " has no IPv4 address"));
      return new DhcpCheck(server, local, timeout);
    } catch (SocketException e) {
      throw new IllegalArgumentException("cannot look up interface " + interfaceName, e);
    }
  }

  @Override
  public ProbeResult probe(Clock clock) {
    Stopwatch start = Stopwatch.start(clock);
    int xid = XIDS.nextInt();
    byte[] inform = DhcpCodec.encodeInform(xid, localAddress, hardwareAddress());
    try (DatagramSocket socket = new DatagramSocket(null)) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(localAddress, DhcpCodec.CLIENT_PORT));
      socket.send(
          new DatagramPacket(
              inform, inform.length, new InetSocketAddress(server, DhcpCodec.SERVER_PORT)));
      byte[] buffer = new byte[1500];
      while (true) {
        long left = timeout.toNanos() - start.elapsed().toNanos();
        if (left <= 0) {
          return noReply(start);
        }
        socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(packet);
        } catch (SocketTimeoutException e) {
          return noReply(start);
        }
        if (DhcpCodec.decode(buffer, packet.getLength()) instanceof DhcpCodec.Reply reply
            && reply.op() == DhcpCodec.BOOTREPLY
            && reply.xid() == xid) {
          String from = packet.getAddress().getHostAddress();
          return switch (reply.messageType()) {
            case DhcpCodec.DHCPACK -> ProbeResult.pass("DHCPACK from " + from, start);
            default ->
                ProbeResult.fail(DhcpCodec.typeName(reply.messageType()) + " from " + from, start);
          };
        }
      }
    } catch (IOException | RuntimeException e) {
      return ProbeResult.fail("DHCPINFORM to " + server.getHostAddress() + " failed", e, start);
    }
  }

  private ProbeResult noReply(Stopwatch start) {
    return ProbeResult.fail(
        "no DHCP reply from " + server.getHostAddress() + " within " + timeout.toMillis() + " ms",
        start);
  }

  /** The MAC of the interface holding {@code localAddress}, or none (hlen 0) if it has none. */
  private byte[] hardwareAddress() {
    try {
      NetworkInterface nic = NetworkInterface.getByInetAddress(localAddress);
      byte[] mac = nic == null ? null : nic.getHardwareAddress();
      return mac == null || mac.length > 16 ? new byte[0] : mac;
    } catch (SocketException e) {
      return new byte[0];
    }
  }

  @Override
  public String target() {
    return "dhcp inform " + server.getHostAddress() + " from " + localAddress.getHostAddress();
  }
}
