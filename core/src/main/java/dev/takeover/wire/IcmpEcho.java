package dev.takeover.wire;

/**
 * A decoded ICMP echo or echo reply (RFC 792; ICMPv6: RFC 4443 §4.1, §4.2). The data stays where it
 * arrived: {@code dataOffset} and {@code dataLength} index the buffer given to {@link IcmpCodec}'s
 * decoder, valid as long as that buffer is (on a receive path: during the handler's call only).
 *
 * @param type {@link IcmpCodec#ECHO_REQUEST} or {@link IcmpCodec#ECHO_REPLY} (ICMPv4), {@link
 *     IcmpCodec#ECHO6_REQUEST} or {@link IcmpCodec#ECHO6_REPLY} (ICMPv6)
 * @param identifier the echo's Identifier (16 bits): which sender asks
 * @param sequence the echo's Sequence Number (16 bits): which request of it
 * @param source the IPv4 source address as a big-endian int ({@link IcmpCodec#ipv4}); 0 when the
 *     message was decoded without its IP header and no source was given
 * @param dataOffset where the echoed data starts in the decoded buffer
 * @param dataLength its length
 */
public record IcmpEcho(
    int type, int identifier, int sequence, int source, int dataOffset, int dataLength) {

  public boolean isReply() {
    return type == IcmpCodec.ECHO_REPLY || type == IcmpCodec.ECHO6_REPLY;
  }
}
