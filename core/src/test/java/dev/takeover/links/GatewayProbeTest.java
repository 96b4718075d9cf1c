package dev.takeover.links;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.clock.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * A gateway probe's misses-to-fail and goods-to-recover on a fake clock near the wrap of the
 * nanosecond clock; the caller hands back the number of the request a reply followed.
 */
class GatewayProbeTest {
  static final long MS = 1_000_000L;
  static final long I = 100 * MS;

  final ManualClock clock = new ManualClock(Long.MAX_VALUE - 5_000 * MS, java.time.Instant.EPOCH);

  /** Sends the request due now; the gateway answers 1 ms later if {@code answered}. */
  PathStatus round(GatewayProbe p, boolean answered) {
    assertThat(p.due(clock.nanoTime())).isTrue();
    PathStatus change = p.request(clock.nanoTime());
    long sent = p.sequence();
    PathStatus up = null;
    if (answered) {
      clock.advanceNanos(MS);
      up = p.reply(sent, clock.nanoTime());
      clock.advanceNanos(I - MS);
    } else {
      clock.advanceNanos(I);
    }
    return up != null ? up : change;
  }

  @Test
  void downAfterMissesUpAfterGoods() {
    GatewayProbe p = new GatewayProbe(I, 3, 2, clock.nanoTime());
    assertThat(p.status()).isEqualTo(PathStatus.STARTING);
    assertThat(round(p, true)).isNull();
    assertThat(round(p, true)).isEqualTo(PathStatus.UP);
    assertThat(p.rttNanos()).isEqualTo(MS);
    assertThat(p.lastChange()).isEqualTo("2 ARP requests answered in a row");
    // The gateway stops answering: three unanswered requests, the third counted at the fourth.
    assertThat(round(p, false)).isNull();
    assertThat(round(p, false)).isNull();
    assertThat(round(p, false)).isNull();
    assertThat(round(p, true)).isEqualTo(PathStatus.DOWN);
    assertThat(p.lastChange()).isEqualTo("3 ARP requests unanswered in a row");
    // That fourth was answered: one good; a second makes it UP again.
    assertThat(round(p, true)).isEqualTo(PathStatus.UP);
  }

  @Test
  void aReplyCountsOnceAndOnlyForTheLatestRequest() {
    GatewayProbe p = new GatewayProbe(I, 3, 3, clock.nanoTime());
    p.request(clock.nanoTime());
    long first = p.sequence();
    clock.advanceNanos(I);
    p.request(clock.nanoTime());
    // A reply handed back with the older number (it left before the second request) is ignored.
    assertThat(p.reply(first, clock.nanoTime())).isNull();
    // A flood of replies to the latest counts as one good, not three.
    long latest = p.sequence();
    p.reply(latest, clock.nanoTime());
    p.reply(latest, clock.nanoTime());
    assertThat(p.reply(latest, clock.nanoTime())).isNull();
    assertThat(p.status()).isEqualTo(PathStatus.STARTING);
    assertThat(first).isNotZero();
    assertThat(latest).isEqualTo(first + 1);
  }

  @Test
  void aWholeIntervalLateRequestDoesNotBurst() {
    GatewayProbe p = new GatewayProbe(I, 3, 2, clock.nanoTime());
    p.request(clock.nanoTime());
    clock.advanceNanos(10 * I); // the engine was stalled
    assertThat(p.due(clock.nanoTime())).isTrue();
    p.request(clock.nanoTime());
    assertThat(p.due(clock.nanoTime())).isFalse();
    assertThat(p.nextRequestAt()).isEqualTo(clock.nanoTime() + I);
  }

  @Test
  void anIcmpProbeCountsAsAnArpProbeDoesAndSaysWhatWentUnanswered() {
    GatewayProbe p = new GatewayProbe(GatewayProbe.Kind.ICMP, I, 2, 2, clock.nanoTime());
    assertThat(p.kind()).isEqualTo(GatewayProbe.Kind.ICMP);
    assertThat(round(p, true)).isNull();
    assertThat(round(p, true)).isEqualTo(PathStatus.UP);
    assertThat(p.lastChange()).isEqualTo("2 ICMP echo requests answered in a row");
    assertThat(round(p, false)).isNull();
    assertThat(round(p, false)).isNull();
    assertThat(round(p, false)).isEqualTo(PathStatus.DOWN);
    assertThat(p.lastChange()).isEqualTo("2 ICMP echo requests unanswered in a row");
  }

  @Test
  void kindsAreNamedAsTheConfigurationNamesThem() {
    assertThat(GatewayProbe.Kind.of("arp")).isEqualTo(GatewayProbe.Kind.ARP);
    assertThat(GatewayProbe.Kind.of("icmp")).isEqualTo(GatewayProbe.Kind.ICMP);
    assertThat(GatewayProbe.Kind.ICMP.configName()).isEqualTo("icmp");
    assertThat(new GatewayProbe(I, 1, 1, clock.nanoTime()).kind()).isEqualTo(GatewayProbe.Kind.ARP);
  }
}
