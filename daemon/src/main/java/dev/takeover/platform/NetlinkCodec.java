package dev.takeover.platform;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pure rtnetlink message encoding and decoding (no sockets): nlmsghdr, ifaddrmsg, ifinfomsg, rtattr
 * and nlmsgerr with extended-ACK TLVs. Netlink uses host byte order (little-endian on x86_64);
 * addresses inside attributes are raw network-order bytes.
 */
final class NetlinkCodec {

  static final int NLMSG_HDRLEN = 16;
  static final int NLMSG_ERROR = 2;
  static final int NLMSG_DONE = 3;

  static final int NLM_F_REQUEST = 0x1;
  static final int NLM_F_MULTI = 0x2;
  static final int NLM_F_ACK = 0x4;
  static final int NLM_F_DUMP_INTR = 0x10;
  static final int NLM_F_DUMP = 0x300;
  static final int NLM_F_EXCL = 0x200;
  static final int NLM_F_CREATE = 0x400;
  // Flags on an NLMSG_ERROR reply.
  static final int NLM_F_CAPPED = 0x100;
  static final int NLM_F_ACK_TLVS = 0x200;
  static final int NLMSGERR_ATTR_MSG = 1;

  static final int RTM_NEWLINK = 16;
  static final int RTM_DELLINK = 17;
  static final int RTM_GETLINK = 18;
  static final int RTM_NEWADDR = 20;
  static final int RTM_DELADDR = 21;
  static final int RTM_GETADDR = 22;

  static final int RTM_NEWROUTE = 24;
  static final int RTM_DELROUTE = 25;
  static final int RTM_GETROUTE = 26;
  static final int NLM_F_REPLACE = 0x100;
  static final int RTM_NEWRULE = 32;
  static final int RTM_DELRULE = 33;
  static final int RTM_GETRULE = 34;
  // linux/fib_rules.h
  static final int FRA_DST = 1;
  static final int FRA_SRC = 2;
  static final int FRA_IIFNAME = 3;
  static final int FRA_PRIORITY = 6;
  static final int FRA_FWMARK = 10;
  static final int FRA_TABLE = 15;
  static final int FRA_OIFNAME = 17;
  static final int FRA_PROTOCOL = 21;
  static final int FR_ACT_TO_TBL = 1;
  static final int FIB_RULE_HDR_SIZE = 12;
  static final int RTA_DST = 1;
  static final int RTA_OIF = 4;
  static final int RTA_GATEWAY = 5;
  static final int RTA_TABLE = 15;
  static final int RTA_PRIORITY = 6;
  static final int RTA_PREFSRC = 7;
  static final int RT_SCOPE_LINK = 253;
  static final int RT_SCOPE_NOWHERE = 255; // in a delete: any scope
  static final int RT_TABLE_UNSPEC = 0;
  static final int RT_TABLE_MAIN = 254;
  static final int RTN_UNICAST = 1;
  static final int RT_SCOPE_UNIVERSE = 0;
  static final int RTMSG_SIZE = 12;

  static final int IFA_ADDRESS = 1;
  static final int IFA_LOCAL = 2;
  static final int IFA_LABEL = 3;
  static final int IFA_FLAGS = 8;
  static final int IFA_F_SECONDARY = 0x01;
  static final int IFA_F_NODAD = 0x02;

  static final int IFLA_ADDRESS = 1;
  static final int IFLA_IFNAME = 3;
  static final int IFLA_MTU = 4;
  static final int IFLA_EXT_MASK = 29;
  static final int RTEXT_FILTER_SKIP_STATS = 1 << 3;

  static final int IFF_UP = 0x1;
  static final int IFF_LOWER_UP = 0x10000;

  static final int IFADDRMSG_SIZE = 8;
  static final int IFINFOMSG_SIZE = 16;
  private static final int MAX_ATTRIBUTE = 64;

  private NetlinkCodec() {}

  static int align4(int length) {
    return (length + 3) & ~3;
  }

  /** One decoded netlink message; {@code payload} is positioned at the family header. */
  record Message(int type, int flags, int sequence, ByteBuffer payload) {}

  /** An NLMSG_ERROR reply: {@code errno} 0 is an ACK; {@code extAck} may be empty. */
  record ErrorReply(int errno, String extAck) {}

  /** Builds one request message. */
  static final class Request {
    private final ByteBuffer buffer = ByteBuffer.allocate(512).order(ByteOrder.nativeOrder());

    Request(int type, int flags, int sequence) {
      buffer.putInt(0); // length, set by toBytes()
      buffer.putShort((short) type);
      buffer.putShort((short) flags);
      buffer.putInt(sequence);
      buffer.putInt(0); // port id 0: the kernel
    }

    Request ifaddrmsg(int family, int prefixLength, int flags, int scope, int ifindex) {
      buffer.put((byte) family).put((byte) prefixLength).put((byte) flags).put((byte) scope);
      buffer.putInt(ifindex);
      return this;
    }

    Request ifinfomsg(int family, int ifindex) {
      buffer.put((byte) family).put((byte) 0).putShort((short) 0);
      buffer.putInt(ifindex).putInt(0).putInt(0);
      return this;
    }

    /** struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags. */
    Request rtmsg(int family, int dstLength, int table, int protocol, int scope, int type) {
      buffer.put((byte) family).put((byte) dstLength).put((byte) 0).put((byte) 0);
      buffer.put((byte) table).put((byte) protocol).put((byte) scope).put((byte) type);
      buffer.putInt(0);
      return this;
    }

    /** struct fib_rule_hdr: family, dst_len, src_len, tos, table, res1, res2, action, flags. */
    Request fibRuleHdr(int family, int dstLength, int srcLength, int table, int action) {
      buffer.put((byte) family).put((byte) dstLength).put((byte) srcLength).put((byte) 0);
      buffer.put((byte) table).put((byte) 0).put((byte) 0).put((byte) action);
      buffer.putInt(0);
      return this;
    }

    Request attribute(int type, byte[] value) {
      buffer.putShort((short) (4 + value.length)).putShort((short) type).put(value);
      pad();
      return this;
    }

    Request attribute(int type, int value) {
      buffer.putShort((short) 8).putShort((short) type).putInt(value);
      return this;
    }

    Request attribute(int type, String value) {
      byte[] text = value.getBytes(StandardCharsets.UTF_8);
      return attribute(type, Arrays.copyOf(text, text.length + 1));
    }

    private void pad() {
      while ((buffer.position() & 3) != 0) {
        buffer.put((byte) 0);
      }
    }

    byte[] toBytes() {
      buffer.putInt(0, buffer.position());
      return Arrays.copyOf(buffer.array(), buffer.position());
    }
  }

  /** Splits a received datagram into messages; a truncated tail is ignored. */
  static List<Message> messages(ByteBuffer datagram) {
    ByteBuffer in = datagram.duplicate().order(ByteOrder.nativeOrder());
    List<Message> result = new ArrayList<>();
    int offset = in.position();
    int end = in.limit();
    while (end - offset >= NLMSG_HDRLEN) {
      int length = in.getInt(offset);
      if (length < NLMSG_HDRLEN || length > end - offset) {
        break;
      }
      int type = Short.toUnsignedInt(in.getShort(offset + 4));
      int flags = Short.toUnsignedInt(in.getShort(offset + 6));
      int sequence = in.getInt(offset + 8);
      ByteBuffer payload =
          in.slice(offset + NLMSG_HDRLEN, length - NLMSG_HDRLEN).order(ByteOrder.nativeOrder());
      result.add(new Message(type, flags, sequence, payload));
      offset += align4(length);
    }
    return result;
  }

  /** Attributes from {@code start} to the end of {@code payload}, indexed by type (last wins). */
  static ByteBuffer[] attributes(ByteBuffer payload, int start) {
    ByteBuffer[] byType = new ByteBuffer[MAX_ATTRIBUTE];
    int offset = start;
    int end = payload.limit();
    while (end - offset >= 4) {
      int length = Short.toUnsignedInt(payload.getShort(offset));
      int type = Short.toUnsignedInt(payload.getShort(offset + 2)) & 0x3fff; // drop NLA_F_ flags
      if (length < 4 || length > end - offset) {
        break;
      }
      if (type < MAX_ATTRIBUTE) {
        byType[type] = payload.slice(offset + 4, length - 4).order(ByteOrder.nativeOrder());
      }
      offset += align4(length);
    }
    return byType;
  }

  static ErrorReply errorReply(Message message) {
    ByteBuffer payload = message.payload();
    int error = payload.getInt(0);
    String extAck = "";
    if ((message.flags() & NLM_F_ACK_TLVS) != 0 && payload.limit() >= 4 + NLMSG_HDRLEN) {
      // TLVs follow the echoed request: its header only when capped, else the whole request.
      int echoed = (message.flags() & NLM_F_CAPPED) != 0 ? NLMSG_HDRLEN : align4(payload.getInt(4));
      int start = 4 + echoed;
      if (start <= payload.limit()) {
        ByteBuffer text = attributes(payload, start)[NLMSGERR_ATTR_MSG];
        if (text != null) {
          extAck = cString(text);
        }
      }
    }
    return new ErrorReply(-error, extAck);
  }

  /** The DONE message of a dump carries an int error too (0 normally). */
  static int doneErrno(Message message) {
    return message.payload().limit() >= 4 ? -message.payload().getInt(0) : 0;
  }

  static AddressTable.InterfaceAddress address(Message message) {
    ByteBuffer payload = message.payload();
    int prefixLength = Byte.toUnsignedInt(payload.get(1));
    int flags = Byte.toUnsignedInt(payload.get(2));
    int ifindex = payload.getInt(4);
    ByteBuffer[] attributes = attributes(payload, IFADDRMSG_SIZE);
    if (attributes[IFA_FLAGS] != null && attributes[IFA_FLAGS].limit() >= 4) {
      flags = attributes[IFA_FLAGS].getInt(0);
    }
    // IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer on point-to-point links.
    ByteBuffer raw =
        attributes[IFA_LOCAL] != null ? attributes[IFA_LOCAL] : attributes[IFA_ADDRESS];
    if (raw == null) {
      return null;
    }
    return new AddressTable.InterfaceAddress(
        ifindex, inetAddress(bytes(raw)), prefixLength, (flags & IFA_F_SECONDARY) != 0);
  }

  static Links.LinkInfo link(Message message) {
    ByteBuffer payload = message.payload();
    int ifindex = payload.getInt(4);
    int flags = payload.getInt(8);
    ByteBuffer[] attributes = attributes(payload, IFINFOMSG_SIZE);
    String name = attributes[IFLA_IFNAME] == null ? "" : cString(attributes[IFLA_IFNAME]);
    byte[] mac = attributes[IFLA_ADDRESS] == null ? new byte[0] : bytes(attributes[IFLA_ADDRESS]);
    int mtu =
        attributes[IFLA_MTU] == null || attributes[IFLA_MTU].limit() < 4
            ? 0
            : attributes[IFLA_MTU].getInt(0);
    boolean up = (flags & IFF_UP) != 0 && (flags & IFF_LOWER_UP) != 0;
    return new Links.LinkInfo(ifindex, name, mac, up, mtu);
  }

  static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.limit()];
    buffer.get(0, out);
    return out;
  }

  static String cString(ByteBuffer buffer) {
    byte[] raw = bytes(buffer);
    int length = 0;
    while (length < raw.length && raw[length] != 0) {
      length++;
    }
    return new String(raw, 0, length, StandardCharsets.UTF_8);
  }

  static InetAddress inetAddress(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("address of " + raw.length + " bytes", e);
    }
  }
}
