package dev.takeover.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.takeover.links.Heartbeat;
import dev.takeover.links.HeartbeatCodec;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fuzz targets for the wire codecs: whatever arrives, decoding returns a value or a reason and
 * never throws, and what it accepts encodes back to the same thing. {@code mvn test} runs the seed
 * corpus in {@code src/test/resources/dev/takeover/wire/WireFuzzTestInputs/} (and anything found
 * since); {@code JAZZER_FUZZ=1} fuzzes one target (see docs/SECURITY.md, "Fuzzing").
 *
 * <p>The node-link codec ({@code links.HeartbeatCodec}) is fuzzed here too, with the HMAC made
 * right on request so the fuzzer reaches the fields behind it. The Neighbor Advertisement codec
 * only encodes (Takeover does not read NAs yet), so its target checks the encoder against the RFC
 * for any target address and MAC.
 */
class WireFuzzTest {
  private static final InetAddress SOURCE4 = address("198.18.0.1");
  private static final InetAddress GROUP4 = address("224.0.0.18");
  private static final InetAddress SOURCE6 = address("fe80::1");
  private static final InetAddress GROUP6 = address("ff02::12");

  /**
   * Any VRRP payload, from either family, in either checksum mode, with any TTL. The fuzzer may ask
   * for the checksum to be made right, so it gets past that check to the rest of RFC 5798 §7.1.
   */
  @FuzzTest(maxDuration = "10s")
  void vrrpDecodeNeverThrowsAndWhatItAcceptsRoundTrips(FuzzedDataProvider data) {
    boolean ipv6 = data.consumeBoolean();
    ChecksumMode mode = data.consumeBoolean() ? ChecksumMode.PSEUDO_HEADER : ChecksumMode.VRRP_ONLY;
    boolean fixChecksum = data.consumeBoolean();
    int ttl = data.consumeBoolean() ? VrrpCodec.REQUIRED_TTL : data.consumeInt(-1, 256);
    byte[] message = data.consumeRemainingAsBytes();
    InetAddress source = ipv6 ? SOURCE6 : SOURCE4;
    InetAddress destination = ipv6 ? GROUP6 : GROUP4;
    if (fixChecksum && message.length >= VrrpCodec.HEADER_LENGTH) {
      message[6] = 0;
      message[7] = 0;
      long sum = InternetChecksum.add(0, message, 0, message.length);
      if (ipv6 || mode == ChecksumMode.PSEUDO_HEADER) {
        sum +=
            InternetChecksum.pseudoHeader(
                source, destination, message.length, VrrpCodec.IP_PROTOCOL);
      }
      int checksum = InternetChecksum.finish(sum);
      message[6] = (byte) (checksum >>> 8);
      message[7] = (byte) checksum;
    }

    Decoded decoded = VrrpCodec.decode(message, source, destination, ttl, mode);

    switch (decoded) {
      case Decoded.Dropped d -> {
        assertThat(d.reason()).isNotNull();
        // Logged per packet (rate-limited): a reason must stay short whatever the packet.
        assertThat(d.detail()).isNotNull().hasSizeLessThan(200);
      }
      case Decoded.Ok ok -> {
        VrrpAdvert advert = ok.advert();
        assertThat(ttl).isEqualTo(VrrpCodec.REQUIRED_TTL);
        byte[] again = VrrpCodec.encode(advert, source, destination, mode);
        assertThat(again).hasSize(message.length);
        // The same bytes, but for the reserved bits (RFC 5798 §5.2.6: sent as zero, ignored) and
        // with them the checksum.
        if ((message[4] & 0xf0) == 0) {
          assertThat(Arrays.copyOfRange(again, 0, 6)).isEqualTo(Arrays.copyOfRange(message, 0, 6));
          assertThat(Arrays.copyOfRange(again, 8, again.length))
              .isEqualTo(Arrays.copyOfRange(message, 8, message.length));
        }
        assertThat(VrrpCodec.decode(again, source, destination, ttl, mode))
            .isEqualTo(new Decoded.Ok(advert));
        // The sender's incremental priority rewrite (RFC 1624) keeps the message valid.
        int priority = (advert.priority() + 1) & 0xff;
        VrrpCodec.patchPriority(again, 0, priority);
        assertThat(VrrpCodec.decode(again, source, destination, ttl, mode))
            .isEqualTo(new Decoded.Ok(advert.withPriority(priority)));
      }
    }
  }

  /** Any frame, whole or as a payload at any offset, with lengths in and out of range. */
  @FuzzTest(maxDuration = "10s")
  void arpDecodeNeverThrows(FuzzedDataProvider data) {
    boolean whole = data.consumeBoolean();
    int offset = data.consumeInt(-1, 64);
    int slack = data.consumeInt(-2, 2);
    byte[] buf = data.consumeRemainingAsBytes();
    ArpDecoded decoded =
        whole
            ? ArpFrame.decode(buf, buf.length + slack)
            : ArpFrame.decodePayload(buf, offset, buf.length - offset + slack);
    switch (decoded) {
      case ArpDecoded.Dropped d -> {
        assertThat(d.reason()).isNotNull();
        assertThat(d.detail()).isNotNull().hasSizeLessThan(200);
      }
      case ArpDecoded.Ok ok -> {
        ArpPacket p = ok.packet();
        int at = whole ? ArpFrame.ETHERNET_HEADER_LENGTH : offset;
        assertThat(p.operation()).isIn(ArpPacket.REQUEST, ArpPacket.REPLY);
        assertThat(p.senderMac()).isEqualTo(MacAddress.of(buf, at + 8));
        assertThat(p.senderIp().getAddress()).isEqualTo(Arrays.copyOfRange(buf, at + 14, at + 18));
        assertThat(p.targetIp().getAddress()).isEqualTo(Arrays.copyOfRange(buf, at + 24, at + 28));
        // What the daemon asks of a packet it reads must not throw either.
        p.isProbe();
        p.isAnnouncement();
        p.claimedByOther((Inet4Address) SOURCE4, MacAddress.ZERO);
        p.probedByOther((Inet4Address) SOURCE4, MacAddress.ZERO);
      }
    }
  }

  /**
   * Any packet a gateway probe's raw ICMP socket hands over (docs/LINKS.md, "Gateway probes"),
   * whole IPv4 or an ICMP message at any offset, with lengths in and out of range: {@code
   * IcmpCodec} returns an echo or a drop reason with a short detail and never throws; an accepted
   * echo lies inside the buffer and encodes back to the same bytes (the checksum may be the other
   * zero, RFC 1071); asking whether it answers a probe never throws either. The fuzzer may ask for
   * the ICMP checksum to be made right, so it gets past it.
   */
  @FuzzTest(maxDuration = "10s")
  void icmpDecodeNeverThrowsAndWhatItAcceptsRoundTrips(FuzzedDataProvider data) {
    boolean whole = data.consumeBoolean();
    boolean fixChecksum = data.consumeBoolean();
    int offset = data.consumeInt(-1, 64);
    int slack = data.consumeInt(-2, 2);
    int identifier = data.consumeInt(0, 0xffff);
    long request = data.consumeLong();
    byte[] buf = data.consumeRemainingAsBytes();
    int start = whole ? ((buf.length > 0 ? buf[0] & 0x0f : 0) * 4) : offset;
    int end = buf.length;
    if (whole && buf.length >= 4) {
      end = Math.min(buf.length, ((buf[2] & 0xff) << 8) | (buf[3] & 0xff));
    }
    if (fixChecksum && start >= 0 && end - start >= IcmpCodec.HEADER_LENGTH) {
      buf[start + 2] = 0;
      buf[start + 3] = 0;
      int checksum = InternetChecksum.of(buf, start, end - start);
      buf[start + 2] = (byte) (checksum >>> 8);
      buf[start + 3] = (byte) checksum;
    }
    IcmpDecoded decoded =
        whole
            ? IcmpCodec.decodeIpv4(buf, buf.length + slack)
            : IcmpCodec.decodeMessage(buf, offset, buf.length - offset + slack, 0x01020304);
    switch (decoded) {
      case IcmpDecoded.Dropped d -> {
        assertThat(d.reason()).isNotNull();
        assertThat(d.detail()).isNotNull().hasSizeLessThan(200);
      }
      case IcmpDecoded.Ok ok -> {
        IcmpEcho e = ok.echo();
        assertThat(e.type()).isIn(IcmpCodec.ECHO_REQUEST, IcmpCodec.ECHO_REPLY);
        assertThat(e.identifier()).isBetween(0, 0xffff);
        assertThat(e.sequence()).isBetween(0, 0xffff);
        assertThat(e.dataOffset()).isGreaterThanOrEqualTo(IcmpCodec.HEADER_LENGTH);
        assertThat(e.dataLength()).isNotNegative();
        assertThat(e.dataOffset() + e.dataLength()).isLessThanOrEqualTo(buf.length);
        int at = e.dataOffset() - IcmpCodec.HEADER_LENGTH;
        byte[] again =
            IcmpCodec.echo(
                e.type(),
                e.identifier(),
                e.sequence(),
                Arrays.copyOfRange(buf, e.dataOffset(), e.dataOffset() + e.dataLength()));
        byte[] original = Arrays.copyOfRange(buf, at, e.dataOffset() + e.dataLength());
        assertThat(Arrays.copyOfRange(again, 0, 2)).isEqualTo(Arrays.copyOfRange(original, 0, 2));
        assertThat(Arrays.copyOfRange(again, 4, again.length))
            .isEqualTo(Arrays.copyOfRange(original, 4, original.length));
        assertThat(InternetChecksum.verifies(InternetChecksum.add(0, again, 0, again.length)))
            .isTrue();
        IcmpCodec.answers(buf, e, identifier, request);
      }
    }
  }

  /**
   * What an IPv6 gateway probe's raw ICMPv6 socket receives, at any offset and length in range or
   * not: the ICMPv6 echo decoder and the Neighbor Advertisement check never throw; an accepted echo
   * is what its fields say; an advertisement is an answer only with hop limit 255, the Solicited
   * flag and the target.
   */
  @FuzzTest(maxDuration = "10s")
  void icmp6ProbeMessagesNeverThrow(FuzzedDataProvider data) {
    int offset = data.consumeInt(-1, 64);
    int slack = data.consumeInt(-2, 2);
    int hopLimit = data.consumeBoolean() ? 255 : data.consumeInt(-1, 255);
    int identifier = data.consumeInt(0, 0xffff);
    long request = data.consumeLong();
    byte[] target = data.consumeBytes(16);
    byte[] buf = data.consumeRemainingAsBytes();
    int length = buf.length - offset + slack;
    if (IcmpCodec.decodeMessage6(buf, offset, length) instanceof IcmpDecoded.Ok ok) {
      IcmpEcho e = ok.echo();
      assertThat(e.type()).isIn(IcmpCodec.ECHO6_REQUEST, IcmpCodec.ECHO6_REPLY);
      assertThat(e.dataOffset()).isEqualTo(offset + IcmpCodec.HEADER_LENGTH);
      assertThat(e.dataOffset() + e.dataLength()).isLessThanOrEqualTo(buf.length);
      IcmpCodec.answers(buf, e, identifier, request);
    }
    if (target.length < 16) {
      return;
    }
    NeighborAdvert.Verdict v = NeighborAdvert.check(buf, offset, length, hopLimit, target, 0);
    if (v == NeighborAdvert.Verdict.ANSWER) {
      assertThat(hopLimit).isEqualTo(NeighborAdvert.HOP_LIMIT);
      assertThat(buf[offset] & 0xff).isEqualTo(NeighborAdvert.TYPE);
      assertThat(buf[offset + 4] & 0x40).isNotZero();
      assertThat(Arrays.copyOfRange(buf, offset + 8, offset + 24)).isEqualTo(target);
    }
  }

  /** A gratuitous ARP for any address and MAC decodes to what was announced. */
  @FuzzTest(maxDuration = "10s")
  void gratuitousArpRoundTrips(FuzzedDataProvider data) throws UnknownHostException {
    byte[] mac = data.consumeBytes(6);
    byte[] ip = data.consumeBytes(4);
    if (mac.length < 6 || ip.length < 4) {
      return;
    }
    Inet4Address address = (Inet4Address) InetAddress.getByAddress(ip);
    byte[] frame = ArpFrame.gratuitous(mac, address);
    assertThat(frame).hasSizeGreaterThanOrEqualTo(ArpFrame.MIN_FRAME_LENGTH);
    ArpDecoded decoded = ArpFrame.decode(frame, frame.length);
    assertThat(decoded).isInstanceOf(ArpDecoded.Ok.class);
    ArpPacket p = ((ArpDecoded.Ok) decoded).packet();
    assertThat(p.senderMac()).isEqualTo(MacAddress.of(mac));
    assertThat(p.senderIp()).isEqualTo(address);
    assertThat(p.targetIp()).isEqualTo(address);
    assertThat(p.isAnnouncement()).isTrue();
  }

  /**
   * An unsolicited NA (RFC 4861 §4.4, §7.2.6) for any target and MAC: type 136, Override set, the
   * target and the target link-layer option in place, and a checksum that verifies over the IPv6
   * pseudo-header.
   */
  @FuzzTest(maxDuration = "10s")
  void neighborAdvertIsWellFormed(FuzzedDataProvider data) throws UnknownHostException {
    byte[] source = data.consumeBytes(16);
    byte[] target = data.consumeBytes(16);
    byte[] mac = data.consumeBytes(6);
    if (source.length < 16 || target.length < 16 || mac.length < 6) {
      return;
    }
    Inet6Address from = Inet6Address.getByAddress(null, source, -1);
    Inet6Address to = Inet6Address.getByAddress(null, target, -1);
    byte[] body = NeighborAdvert.unsolicitedWithChecksum(from, to, mac);
    assertThat(body).hasSize(NeighborAdvert.LENGTH);
    assertThat(body[0] & 0xff).isEqualTo(NeighborAdvert.TYPE);
    assertThat(body[4] & 0x20).isEqualTo(0x20); // Override
    assertThat(body[4] & 0xc0).isZero(); // neither Router nor Solicited
    assertThat(Arrays.copyOfRange(body, 8, 24)).isEqualTo(target);
    assertThat(body[24]).isEqualTo((byte) 2); // target link-layer address option
    assertThat(body[25]).isEqualTo((byte) 1);
    assertThat(Arrays.copyOfRange(body, 26, 32)).isEqualTo(mac);
    long sum =
        InternetChecksum.pseudoHeader(
            from, NeighborAdvert.ALL_NODES, NeighborAdvert.LENGTH, NeighborAdvert.ICMPV6_PROTOCOL);
    assertThat(InternetChecksum.verifies(InternetChecksum.add(sum, body, 0, body.length))).isTrue();
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static final byte[] LINK_KEY =
      "fuzz-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /**
   * Any node-link packet (docs/LINKS.md): {@code HeartbeatCodec.decode} returns a heartbeat or a
   * drop reason and never throws; what it accepts encodes back to the same bytes. The fuzzer may
   * ask for the HMAC to be made right, so it gets past it only then.
   */
  @FuzzTest(maxDuration = "10s")
  void heartbeatDecodeNeverThrowsAndWhatItAcceptsRoundTrips(FuzzedDataProvider data) {
    boolean fixMac = data.consumeBoolean();
    byte[] packet = data.consumeRemainingAsBytes();
    if (fixMac && packet.length >= HeartbeatCodec.HMAC_LENGTH) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(LINK_KEY, "HmacSHA256"));
        mac.update(packet, 0, packet.length - HeartbeatCodec.HMAC_LENGTH);
        mac.doFinal(packet, packet.length - HeartbeatCodec.HMAC_LENGTH);
      } catch (GeneralSecurityException e) {
        throw new AssertionError(e);
      }
    }
    HeartbeatCodec codec = new HeartbeatCodec(LINK_KEY);
    switch (codec.decode(packet, packet.length)) {
      case HeartbeatCodec.Decoded.Dropped d -> {
        assertThat(d.reason()).isNotNull();
        assertThat(d.detail().length()).isLessThan(200);
      }
      case HeartbeatCodec.Decoded.Accepted a -> {
        Heartbeat h = a.heartbeat();
        byte[] out = new byte[HeartbeatCodec.MAX_PACKET];
        int n = codec.encode(h.kind(), h.sequence(), h.echo(), h.summary(), out);
        assertThat(Arrays.copyOf(out, n)).isEqualTo(packet);
      }
    }
  }

  /**
   * Every frame the link watch reads off the LAN (ARP, NS/NA, VRRP, anything else;
   * docs/SECURITY.md): {@code LinkFrame.decode} never throws for any bytes and any claimed length,
   * and a VRRP frame's payload lies inside the frame, so what {@code VrrpCodec.decode} is then
   * given is in bounds.
   */
  @FuzzTest(maxDuration = "10s")
  void linkFrameDecodeNeverThrows(FuzzedDataProvider data) {
    int slack = data.consumeInt(-2, 2);
    byte[] frame = data.consumeRemainingAsBytes();
    LinkFrame decoded = LinkFrame.decode(frame, frame.length + slack);
    assertThat(decoded).isNotNull();
    if (decoded instanceof LinkFrame.Vrrp v) {
      assertThat(v.payloadOffset()).isNotNegative();
      assertThat(v.payloadLength()).isNotNegative();
      assertThat(v.payloadOffset() + v.payloadLength()).isLessThanOrEqualTo(frame.length + slack);
      assertThat(v.ttl()).isBetween(0, 255);
    }
  }
}
