package dev.takeover.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.takeover.action.GroupState;
import dev.takeover.links.HeartbeatCodec.Decoded;
import dev.takeover.links.NodeSummary.GroupEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node-link packet: round trips, and every drop reason the codec decides, as a table. */
class HeartbeatCodecTest {
  static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  static final NodeSummary ALPHA =
      new NodeSummary(
          "alpha",
          0x1122334455667788L,
          List.of(
              new GroupEntry("web", 51, GroupState.MASTER, 100, false),
              new GroupEntry("db", 52, GroupState.BACKUP, 90, true)));

  final HeartbeatCodec codec = new HeartbeatCodec(KEY);
  final byte[] buf = new byte[HeartbeatCodec.MAX_PACKET];

  @Test
  void anInquiryRoundTrips() {
    int n = codec.encode(Heartbeat.Kind.INQUIRY, 7, 0, ALPHA, buf);
    assertThat(n).isEqualTo(HeartbeatCodec.size(ALPHA));
    assertThat(codec.decode(buf, n))
        .isEqualTo(new Decoded.Accepted(new Heartbeat(Heartbeat.Kind.INQUIRY, 7, 0, ALPHA)));
  }

  @Test
  void anAnswerCarriesTheInquirysSequence() {
    int n = codec.encode(Heartbeat.Kind.ANSWER, -2, 7, ALPHA, buf);
    Heartbeat h = ((Decoded.Accepted) codec.decode(buf, n)).heartbeat();
    assertThat(h.kind()).isEqualTo(Heartbeat.Kind.ANSWER);
    assertThat(h.sequence()).isEqualTo(-2);
    assertThat(h.echo()).isEqualTo(7);
  }

  @Test
  void aNewSummaryInstanceIsEncodedAfresh() {
    codec.encode(Heartbeat.Kind.NOTICE, 1, 0, ALPHA, buf);
    NodeSummary faulted =
        new NodeSummary("alpha", 1, List.of(new GroupEntry("web", 51, GroupState.FAULT, 0, false)));
    int n = codec.encode(Heartbeat.Kind.NOTICE, 2, 0, faulted, buf);
    assertThat(((Decoded.Accepted) codec.decode(buf, n)).heartbeat().summary()).isEqualTo(faulted);
  }

  @Test
  void theLargestSummaryFitsMaxPacket() {
    List<GroupEntry> groups = new ArrayList<>();
    for (int i = 0; i < HeartbeatCodec.MAX_GROUPS; i++) {
      groups.add(
          new GroupEntry(
              ("g" + i + "x".repeat(32)).substring(0, 32), i, GroupState.BACKUP, 1, false));
    }
    NodeSummary big = new NodeSummary("n".repeat(64), 0, groups);
    assertThat(HeartbeatCodec.size(big)).isEqualTo(HeartbeatCodec.MAX_PACKET);
    int n = codec.encode(Heartbeat.Kind.INQUIRY, 1, 0, big, buf);
    assertThat(codec.decode(buf, n)).isInstanceOf(Decoded.Accepted.class);
  }

  @Test
  void aSummaryThatDoesNotFitIsRefused() {
    NodeSummary bad = new NodeSummary("x".repeat(65), 0, List.of());
    assertThat(HeartbeatCodec.size(bad)).isEqualTo(-1);
    assertThatThrownBy(() -> codec.encode(Heartbeat.Kind.INQUIRY, 1, 0, bad, buf))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aShortKeyIsRefused() {
    assertThatThrownBy(() -> new HeartbeatCodec(new byte[15]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anotherKeyIsABadMac() {
    int n = codec.encode(Heartbeat.Kind.INQUIRY, 7, 0, ALPHA, buf);
    byte[] other = KEY.clone();
    other[0] ^= 1;
    assertThat(reason(new HeartbeatCodec(other).decode(buf, n))).isEqualTo(LinkDropReason.BAD_MAC);
  }

  @Test
  void everyFlippedBitIsDropped() {
    int n = codec.encode(Heartbeat.Kind.INQUIRY, 7, 0, ALPHA, buf);
    for (int bit = 0; bit < n * 8; bit++) {
      byte[] copy = Arrays.copyOf(buf, n);
      copy[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThat(codec.decode(copy, n)).as("bit %d", bit).isInstanceOf(Decoded.Dropped.class);
    }
  }

  @Test
  void everyShorterLengthIsDropped() {
    int n = codec.encode(Heartbeat.Kind.INQUIRY, 7, 0, ALPHA, buf);
    for (int len = 0; len < n; len++) {
      assertThat(codec.decode(Arrays.copyOf(buf, n), len))
          .as("length %d", len)
          .isInstanceOf(Decoded.Dropped.class);
    }
  }

  @Test
  void dropReasonsByField() {
    int n = codec.encode(Heartbeat.Kind.INQUIRY, 7, 0, ALPHA, buf);
    assertThat(reason(codec.decode(buf, 10))).isEqualTo(LinkDropReason.TRUNCATED);
    assertThat(reason(codec.decode(mutate(n, 0, 'X'), n))).isEqualTo(LinkDropReason.BAD_MAGIC);
    assertThat(reason(codec.decode(mutate(n, 4, 2), n))).isEqualTo(LinkDropReason.BAD_VERSION);
    assertThat(reason(codec.decode(mutate(n, 5, 9), n))).isEqualTo(LinkDropReason.MALFORMED);
    assertThat(reason(codec.decode(mutate(n, 6, 0), n))).isEqualTo(LinkDropReason.MALFORMED);
    assertThat(reason(codec.decode(mutate(n, 32, ' '), n))).isEqualTo(LinkDropReason.MALFORMED);
    assertThat(reason(codec.decode(mutate(n, 8, 1), n))).isEqualTo(LinkDropReason.BAD_MAC);
  }

  private byte[] mutate(int n, int at, int value) {
    byte[] copy = Arrays.copyOf(buf, n);
    copy[at] = (byte) value;
    return copy;
  }

  private static LinkDropReason reason(Decoded d) {
    return ((Decoded.Dropped) d).reason();
  }
}
