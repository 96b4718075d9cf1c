package dev.takeover.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * A captured packet from {@code src/test/resources/fixtures} (format in PROVENANCE.md), with the
 * few IP header fields the tests need.
 */
record Fixture(String name, Map<String, String> fields) {

  static Fixture load(String name) {
    try (InputStream in = Fixture.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      Map<String, String> fields = new HashMap<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] kv = line.trim().split("\\s+", 2);
        fields.put(kv[0], kv[1]);
      }
      return new Fixture(name, fields);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  InetAddress source() {
    return address(fields.get("source"));
  }

  InetAddress destination() {
    return address(fields.get("destination"));
  }

  /** The whole IP packet of an {@code ip} fixture. */
  byte[] ipPacket() {
    return HexFormat.of().parseHex(fields.get("ip"));
  }

  /** The ICMPv6 message of an {@code icmp6} fixture, as a raw ICMPv6 socket receives it. */
  byte[] icmp6() {
    return HexFormat.of().parseHex(fields.get("icmp6"));
  }

  /** The hop limit an {@code icmp6} fixture's packet had. */
  int hopLimit() {
    return Integer.parseInt(fields.get("hop-limit"));
  }

  /** The whole Ethernet frame of a {@code frame} fixture. */
  byte[] frame() {
    return HexFormat.of().parseHex(fields.get("frame"));
  }

  /** Parsed fixed IP header of an IPv4 or IPv6 packet (no extension headers). */
  record IpHeader(
      int version,
      int ttlOrHopLimit,
      int protocol,
      InetAddress source,
      InetAddress destination,
      byte[] payload) {}

  static IpHeader parseIp(byte[] packet, int offset) {
    int version = (packet[offset] & 0xff) >>> 4;
    if (version == 4) {
      int headerLength = (packet[offset] & 0x0f) * 4;
      int totalLength = ((packet[offset + 2] & 0xff) << 8) | (packet[offset + 3] & 0xff);
      return new IpHeader(
          4,
          packet[offset + 8] & 0xff,
          packet[offset + 9] & 0xff,
          raw(packet, offset + 12, 4),
          raw(packet, offset + 16, 4),
          Arrays.copyOfRange(packet, offset + headerLength, offset + totalLength));
    }
    int payloadLength = ((packet[offset + 4] & 0xff) << 8) | (packet[offset + 5] & 0xff);
    return new IpHeader(
        6,
        packet[offset + 7] & 0xff,
        packet[offset + 6] & 0xff,
        raw(packet, offset + 8, 16),
        raw(packet, offset + 24, 16),
        Arrays.copyOfRange(packet, offset + 40, offset + 40 + payloadLength));
  }

  IpHeader ip() {
    return parseIp(ipPacket(), 0);
  }

  static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text); // literals only: no lookup
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InetAddress raw(byte[] buf, int offset, int length) {
    try {
      return InetAddress.getByAddress(Arrays.copyOfRange(buf, offset, offset + length));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
