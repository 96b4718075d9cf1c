package dev.takeover.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The value types: status ranges and what each check's constructor rejects. */
class SmallPartsTest {
  private static final Duration T = Duration.ofSeconds(1);

  @Test
  void statusRangesParseSingleCodesAndRanges() {
    assertThat(StatusRange.parse("200")).isEqualTo(new StatusRange(200, 200));
    assertThat(StatusRange.parse(" 200 - 399 ")).isEqualTo(StatusRange.SUCCESS_OR_REDIRECT);
    assertThat(StatusRange.parse("200-399").contains(399)).isTrue();
    assertThat(StatusRange.parse("200-399").contains(400)).isFalse();
    assertThat(StatusRange.parse("204").toString()).isEqualTo("204");
    for (String bad : List.of("", "abc", "399-200", "99", "600", "200-", "1-2-3")) {
      assertThatIllegalArgumentException().as(bad).isThrownBy(() -> StatusRange.parse(bad));
    }
  }

  @Test
  void checksRejectNonsense() {
    assertThatIllegalArgumentException().isThrownBy(() -> new TcpCheck("h", 0, T));
    assertThatIllegalArgumentException().isThrownBy(() -> new TcpCheck("h", 80, Duration.ZERO));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new HttpCheck(
                    URI.create("ftp://h/"),
                    StatusRange.SUCCESS_OR_REDIRECT,
                    Optional.empty(),
                    T,
                    false));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new DnsCheck(
                    InetSocketAddress.createUnresolved("ns", 53),
                    "a.test",
                    "A",
                    Optional.empty(),
                    T));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new DnsCheck(
                    new InetSocketAddress(HealthLab.ipv4("198.18.0.1"), 53),
                    "a.test",
                    "NOPE",
                    Optional.empty(),
                    T));
    assertThatIllegalArgumentException().isThrownBy(() -> new ScriptCheck(List.of(), Map.of(), T));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new CheckSchedule(
                    "x", new TcpCheck("h", 1, T), Duration.ZERO, 1, 1, CheckState.UNKNOWN));
  }

  @Test
  void aScheduleHasHaproxyLikeDefaults() {
    CheckSchedule s = CheckSchedule.of("web", new TcpCheck("h", 80, T));
    assertThat(s)
        .isEqualTo(
            new CheckSchedule(
                "web", new TcpCheck("h", 80, T), Duration.ofSeconds(2), 2, 3, CheckState.UNKNOWN));
  }
}
