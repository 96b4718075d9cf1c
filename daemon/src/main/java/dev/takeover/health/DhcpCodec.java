package dev.takeover.health;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The little of DHCPv4 that {@link DhcpCheck} needs: encode a DHCPINFORM, decode a server's reply.
 * Pure: no sockets, no clocks.
 *
 * <p>Layout (RFC 2131 §2, Figure 1): a 236-byte fixed header, the magic cookie 99.130.83.99 (RFC
 * 2131 §3), then options as code/length/value (RFC 2132 §2). Not supported, because a health check
 * does not need them: option overload into {@code sname}/{@code file} (RFC 2132 §9.3), relay
 * agents, DHCPv6.
 */
final class DhcpCodec {
  private DhcpCodec() {}

  static final int SERVER_PORT = 67; // RFC 2131 §4.1
  static final int CLIENT_PORT = 68;

  static final int BOOTREQUEST = 1;
  static final int BOOTREPLY = 2;
  static final int HTYPE_ETHERNET = 1;

  /** Message types, RFC 2132 §9.6. */
  static final int DHCPACK = 5;

  static final int DHCPNAK = 6;
  static final int DHCPINFORM = 8;

  static final int OPTION_PAD = 0;
  static final int OPTION_SUBNET_MASK = 1;
  static final int OPTION_ROUTER = 3;
  static final int OPTION_DNS = 6;
  static final int OPTION_MESSAGE_TYPE = 53;
  static final int OPTION_SERVER_ID = 54;
  static final int OPTION_PARAMETER_REQUEST_LIST = 55;
  static final int OPTION_END = 255;

  static final int FIXED_HEADER = 236;
  static final int MAGIC_COOKIE = 0x63825363;
  private static final int CIADDR = 12;
  private static final int YIADDR = 16;
  private static final int CHADDR = 28;

  /** RFC 1542 §2.1: relays and some servers drop BOOTP messages shorter than 300 bytes. */
  static final int MIN_MESSAGE = 300;

  /**
   * A DHCPINFORM from a client that already has {@code ciaddr} (RFC 2131 §3.4): the server answers
   * with a DHCPACK of configuration only, sent to {@code ciaddr} (RFC 2131 §4.3.5, §4.4.3).
   *
   * @param chaddr the client's hardware address, up to 16 bytes; Ethernet when 6 bytes
   */
  static byte[] encodeInform(int xid, Inet4Address ciaddr, byte[] chaddr) {
    if (chaddr.length > 16) {
      throw new IllegalArgumentException("chaddr longer than 16 bytes");
    }
    ByteBuffer b = ByteBuffer.allocate(MIN_MESSAGE); // zero-filled: secs, flags, yiaddr... all 0
    b.put((byte) BOOTREQUEST);
    b.put((byte) HTYPE_ETHERNET);
    b.put((byte) chaddr.length);
    b.put((byte) 0); // hops
    b.putInt(xid);
    b.putShort((short) 0); // secs
    b.putShort((short) 0); // flags: no broadcast bit, the reply is unicast to ciaddr
    b.put(ciaddr.getAddress());
    b.position(CHADDR);
    b.put(chaddr);
    b.position(FIXED_HEADER);
    b.putInt(MAGIC_COOKIE);
    b.put((byte) OPTION_MESSAGE_TYPE).put((byte) 1).put((byte) DHCPINFORM);
    b.put((byte) OPTION_PARAMETER_REQUEST_LIST).put((byte) 3);
    b.put((byte) OPTION_SUBNET_MASK).put((byte) OPTION_ROUTER).put((byte) OPTION_DNS);
    b.put((byte) OPTION_END);
    return b.array(); // the rest is pad (0), RFC 2132 §3.1
  }

  /** A decoded reply, or why the bytes are not one. */
  sealed interface Decoded {}

  /**
   * The fields of a server message a health check looks at.
   *
   * @param messageType option 53, RFC 2132 §9.6
   * @param serverId option 54, RFC 2132 §9.7, when present
   */
  record Reply(
      int op,
      int xid,
      Inet4Address ciaddr,
      Inet4Address yiaddr,
      int messageType,
      Optional<Inet4Address> serverId)
      implements Decoded {}

  record Invalid(String reason) implements Decoded {}

  static Decoded decode(byte[] bytes, int length) {
    if (length < FIXED_HEADER + 4) {
      return new Invalid("too short for a DHCP message: " + length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
    int op = b.get(0) & 0xff;
    if (op != BOOTREQUEST && op != BOOTREPLY) {
      return new Invalid("op " + op + " is neither BOOTREQUEST nor BOOTREPLY");
    }
    int xid = b.getInt(4);
    if (b.getInt(FIXED_HEADER) != MAGIC_COOKIE) {
      return new Invalid("no DHCP magic cookie");
    }
    int messageType = -1;
    Optional<Inet4Address> serverId = Optional.empty();
    int at = FIXED_HEADER + 4;
    while (at < length) {
      int code = bytes[at] & 0xff;
      if (code == OPTION_END) {
        break;
      }
      if (code == OPTION_PAD) {
        at++;
        continue;
      }
      if (at + 1 >= length) {
        return new Invalid("option " + code + " has no length");
      }
      int len = bytes[at + 1] & 0xff;
      int value = at + 2;
      if (value + len > length) {
        return new Invalid("option " + code + " runs past the end of the message");
      }
      if (code == OPTION_MESSAGE_TYPE && len == 1) {
        messageType = bytes[value] & 0xff;
      } else if (code == OPTION_SERVER_ID && len == 4) {
        serverId = Optional.of(ipv4(bytes, value));
      }
      at = value + len;
    }
    if (messageType < 0) {
      return new Invalid("no DHCP message type option");
    }
    return new Reply(op, xid, ipv4(bytes, CIADDR), ipv4(bytes, YIADDR), messageType, serverId);
  }

  /** The name RFC 2132 §9.6 gives a message type, for details and logs. */
  static String typeName(int messageType) {
    return switch (messageType) {
      case 1 -> "DHCPDISCOVER";
      case 2 -> "DHCPOFFER";
      case 3 -> "DHCPREQUEST";
      case 4 -> "DHCPDECLINE";
      case DHCPACK -> "DHCPACK";
      case DHCPNAK -> "DHCPNAK";
      case 7 -> "DHCPRELEASE";
      case DHCPINFORM -> "DHCPINFORM";
      default -> "type " + messageType;
    };
  }

  private static Inet4Address ipv4(byte[] bytes, int offset) {
    byte[] address = new byte[4];
    System.arraycopy(bytes, offset, address, 0, 4);
    try {
      return (Inet4Address) InetAddress.getByAddress(address);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 bytes are always an IPv4 address", e);
    }
  }
}
