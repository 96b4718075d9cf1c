package dev.takeover.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.platform.NetlinkCodec.Message;
import dev.takeover.platform.NetlinkCodec.Request;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetlinkCodecTest {

  @Test
  void requestHasLengthHeaderAndPaddedAttributes() {
    byte[] bytes =
        new Request(NetlinkCodec.RTM_GETLINK, NetlinkCodec.NLM_F_REQUEST, 7)
            .ifinfomsg(0, 3)
            .attribute(NetlinkCodec.IFLA_IFNAME, "eth0") // 4 + 5 bytes, padded to 12
            .toBytes();
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());

    assertThat(bytes).hasSize(16 + 16 + 12);
    assertThat(in.getInt(0)).isEqualTo(bytes.length);
    assertThat(in.getShort(4)).isEqualTo((short) NetlinkCodec.RTM_GETLINK);
    assertThat(in.getInt(8)).isEqualTo(7);
    assertThat(in.getInt(16 + 4)).as("ifindex").isEqualTo(3);
    assertThat(in.getShort(32)).as("rtattr length").isEqualTo((short) 9);
  }

  @Test
  void decodesAnAddressMessageWithFlagsAttribute() throws Exception {
    byte[] raw = InetAddress.getByName("198.18.0.9").getAddress();
    byte[] bytes =
        new Request(NetlinkCodec.RTM_NEWADDR, 0, 1)
            .ifaddrmsg(2, 24, 0, 0, 5)
            .attribute(NetlinkCodec.IFA_ADDRESS, raw)
            .attribute(NetlinkCodec.IFA_LOCAL, raw)
            .attribute(NetlinkCodec.IFA_FLAGS, NetlinkCodec.IFA_F_SECONDARY)
            .toBytes();
    List<Message> messages = NetlinkCodec.messages(ByteBuffer.wrap(bytes));

    assertThat(messages).hasSize(1);
    assertThat(NetlinkCodec.address(messages.getFirst()))
        .isEqualTo(new AddressTable.InterfaceAddress(5, InetAddress.getByAddress(raw), 24, true));
  }

  @Test
  void decodesExtendedAckText() {
    // NLMSG_ERROR, capped, with TLVs: error -17, echoed header, NLMSGERR_ATTR_MSG "exists".
    ByteBuffer out = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
    out.putInt(0).putShort((short) NetlinkCodec.NLMSG_ERROR);
    out.putShort((short) (NetlinkCodec.NLM_F_CAPPED | NetlinkCodec.NLM_F_ACK_TLVS));
    out.putInt(9).putInt(0);
    out.putInt(-17);
    out.putInt(40).putShort((short) 20).putShort((short) 0).putInt(9).putInt(0); // echoed header
    out.putShort((short) 11)
        .putShort((short) NetlinkCodec.NLMSGERR_ATTR_MSG)
        .put("exists\0".getBytes());
    out.put((byte) 0);
    out.putInt(0, out.position());
    out.flip();

    Message message = NetlinkCodec.messages(out).getFirst();
    assertThat(NetlinkCodec.errorReply(message))
        .isEqualTo(new NetlinkCodec.ErrorReply(17, "exists"));
  }

  @Test
  void stopsAtATruncatedMessage() {
    byte[] bytes = new Request(NetlinkCodec.RTM_GETLINK, 0, 1).ifinfomsg(0, 0).toBytes();
    ByteBuffer truncated = ByteBuffer.wrap(bytes, 0, bytes.length - 1).slice();
    assertThat(NetlinkCodec.messages(truncated)).isEmpty();
  }

  @Test
  void monitorReportsALinkOnFirstSightAndThenOnlyFlips() {
    try (NetlinkMonitor monitor = NetlinkMonitor.open(event -> {})) {
      assertThat(monitor.toEvent(link(4, "eth0", true)))
          .isEqualTo(new NetlinkEvent.LinkChanged(4, "eth0", true));
      assertThat(monitor.toEvent(link(4, "eth0", true))).isNull();
      assertThat(monitor.toEvent(link(4, "eth0", false)))
          .isEqualTo(new NetlinkEvent.LinkChanged(4, "eth0", false));
      assertThat(monitor.toEvent(link(4, "eth0", false))).isNull();
      assertThat(monitor.toEvent(link(5, "eth1", false)))
          .isEqualTo(new NetlinkEvent.LinkChanged(5, "eth1", false));
    }
  }

  private static Message link(int index, String name, boolean up) {
    int flags = up ? NetlinkCodec.IFF_UP | NetlinkCodec.IFF_LOWER_UP : NetlinkCodec.IFF_UP;
    ByteBuffer bytes =
        ByteBuffer.wrap(
            new Request(NetlinkCodec.RTM_NEWLINK, 0, 0)
                .ifinfomsg(0, index)
                .attribute(NetlinkCodec.IFLA_IFNAME, name)
                .toBytes());
    bytes.order(ByteOrder.nativeOrder()).putInt(16 + 8, flags); // ifi_flags
    return NetlinkCodec.messages(bytes).getFirst();
  }
}
