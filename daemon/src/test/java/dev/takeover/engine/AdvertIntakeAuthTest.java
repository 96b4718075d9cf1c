package dev.takeover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.clock.ManualClock;
import dev.takeover.effect.AdvertSender;
import dev.takeover.wire.AdvertSigner;
import dev.takeover.wire.AdvertVerifier;
import dev.takeover.wire.AuthKey;
import dev.takeover.wire.AuthSettings;
import dev.takeover.wire.AuthTrailer;
import dev.takeover.wire.ChecksumMode;
import dev.takeover.wire.DropReason;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * auth_hmac end to end without a network: a signing {@link AdvertSender} hands its bytes to an
 * {@link AdvertIntake} whose group verifies them; every failure is a counted {@code AUTH_*} drop
 * and reaches no engine event.
 */
class AdvertIntakeAuthTest {
  private static final InetAddress SELF = ip("198.18.0.1");
  private static final InetAddress PEER = ip("198.18.0.2");
  private static final InetAddress GROUP = ip("224.0.0.18");
  private static final InetAddress VIP = ip("198.18.0.50");
  private static final byte[] KEY =
      HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00.25Z");

  // Adverts that reach the engine; a dropped advert reaches it only as a RivalAdvert (below).
  private final List<Event> posted = new ArrayList<>();
  private final List<Event.RivalAdvert> rivals = new ArrayList<>();

  private void post(Event e) {
    if (e instanceof Event.RivalAdvert r) {
      rivals.add(r);
    } else {
      posted.add(e);
    }
  }

  private final ManualClock clock = new ManualClock(42L, NOW);
  private final List<byte[]> wire = new ArrayList<>();

  private static AuthSettings auth(AuthSettings.Mode mode, byte[] key) {
    return new AuthSettings(List.of(new AuthKey(1, key)), 1, mode, AuthSettings.AntiReplay.TIME, 5);
  }

  private AdvertIntake receiver(AuthSettings.Mode mode, byte[] key) {
    var member =
        new AdvertIntake.Member(
            0,
            "[web][VRID 51][IPv4]",
            51,
            false,
            ChecksumMode.PSEUDO_HEADER,
            List.of(VIP),
            List.of(),
            Set.of(SELF),
            Optional.of(new AdvertVerifier(auth(mode, key))));
    return new AdvertIntake(List.of(member), this::post, clock);
  }

  private AdvertSender sender(Optional<AdvertSigner> signer) {
    return new AdvertSender(
        "[web][VRID 51][IPv4]",
        51,
        10,
        List.of(VIP),
        PEER,
        List.of(GROUP),
        ChecksumMode.PSEUDO_HEADER,
        (message, length, destination) -> wire.add(Arrays.copyOf(message, length)),
        clock,
        signer);
  }

  private static AdvertSender signing(AdvertIntakeAuthTest t, AuthSettings.Mode mode, byte[] key) {
    return t.sender(Optional.of(new AdvertSigner(auth(mode, key))));
  }

  private void deliverAll(AdvertIntake intake) {
    for (byte[] m : wire) {
      intake.onMessage(m, 0, m.length, PEER, GROUP, 255);
    }
  }

  @Test
  void signedAdvertsAreAcceptedAndAReplayIsDropped() {
    AdvertSender sender = signing(this, AuthSettings.Mode.ENFORCE, KEY);
    sender.send(200);
    clock.advanceNanos(10_000_000);
    sender.send(200);
    assertThat(wire).allSatisfy(m -> assertThat(m).hasSize(12 + AuthTrailer.LENGTH));
    AdvertIntake intake = receiver(AuthSettings.Mode.ENFORCE, KEY);
    deliverAll(intake);
    assertThat(posted).hasSize(2);
    intake.onMessage(wire.getFirst(), 0, wire.getFirst().length, PEER, GROUP, 255);
    assertThat(posted).hasSize(2);
    assertThat(intake.dropped(DropReason.AUTH_REPLAY)).isEqualTo(1);
    // An advert we cannot authenticate is a rival the policy hears of (re-announce, conflict).
    assertThat(rivals)
        .extracting(Event.RivalAdvert::reason)
        .containsExactly(DropReason.AUTH_REPLAY);
  }

  @Test
  void aWrongKeyIsDroppedAsBadHmac() {
    byte[] other = KEY.clone();
    other[31] ^= 1;
    signing(this, AuthSettings.Mode.ENFORCE, other).send(200);
    AdvertIntake intake = receiver(AuthSettings.Mode.ENFORCE, KEY);
    deliverAll(intake);
    assertThat(posted).isEmpty();
    assertThat(intake.dropped(DropReason.AUTH_BAD_HMAC)).isEqualTo(1);
  }

  @Test
  void anOldCaptureIsStale() {
    signing(this, AuthSettings.Mode.ENFORCE, KEY).send(200);
    AdvertIntake intake = receiverAt(NOW.plusSeconds(60)); // a capture replayed a minute later
    deliverAll(intake);
    assertThat(posted).isEmpty();
    assertThat(intake.dropped(DropReason.AUTH_STALE)).isEqualTo(1);
  }

  private AdvertIntake receiverAt(Instant now) {
    var member =
        new AdvertIntake.Member(
            0,
            "[web][VRID 51][IPv4]",
            51,
            false,
            ChecksumMode.PSEUDO_HEADER,
            List.of(VIP),
            List.of(),
            Set.of(SELF),
            Optional.of(new AdvertVerifier(auth(AuthSettings.Mode.ENFORCE, KEY))));
    return new AdvertIntake(List.of(member), this::post, new ManualClock(42L, now));
  }

  @Test
  void rolloutModes() {
    // An unsigned sender (no auth, or receive-only) is heard in the migration modes only.
    sender(Optional.empty()).send(200);
    AdvertIntake enforce = receiver(AuthSettings.Mode.ENFORCE, KEY);
    deliverAll(enforce);
    assertThat(enforce.dropped(DropReason.AUTH_MISSING)).isEqualTo(1);
    assertThat(posted).isEmpty();
    for (AuthSettings.Mode mode :
        List.of(AuthSettings.Mode.RECEIVE_ONLY, AuthSettings.Mode.PERMISSIVE)) {
      AdvertIntake lenient = receiver(mode, KEY);
      deliverAll(lenient);
      assertThat(lenient.acceptedUnsigned()).as(mode.keyword()).isEqualTo(1);
    }
    assertThat(posted).hasSize(2);
  }

  @Test
  void aGroupWithoutAuthDropsSignedAdvertsWithAHint() {
    signing(this, AuthSettings.Mode.PERMISSIVE, KEY).send(200);
    var plain =
        new AdvertIntake.Member(
            0,
            "[web][VRID 51][IPv4]",
            51,
            false,
            ChecksumMode.PSEUDO_HEADER,
            List.of(VIP),
            List.of(),
            Set.of(SELF));
    AdvertIntake intake = new AdvertIntake(List.of(plain), this::post, clock);
    deliverAll(intake);
    assertThat(posted).isEmpty();
    assertThat(intake.dropped(DropReason.ADDRESS_COUNT_MISMATCH)).isEqualTo(1);
  }

  @Test
  void unicastCopiesCarryOneTrailer() {
    List<InetAddress> peers = List.of(ip("198.18.0.3"), ip("198.18.0.4"));
    AdvertSender sender =
        new AdvertSender(
            "[web][VRID 51][IPv4]",
            51,
            10,
            List.of(VIP),
            PEER,
            peers,
            ChecksumMode.PSEUDO_HEADER,
            (message, length, destination) -> wire.add(Arrays.copyOf(message, length)),
            clock,
            Optional.of(new AdvertSigner(auth(AuthSettings.Mode.ENFORCE, KEY))));
    sender.send(200);
    assertThat(wire).hasSize(2);
    assertThat(Arrays.copyOfRange(wire.get(0), 12, 40))
        .isEqualTo(Arrays.copyOfRange(wire.get(1), 12, 40));
    // The IPv4 checksums differ (the pseudo-header holds the destination); the HMAC does not care.
    assertThat(Arrays.copyOfRange(wire.get(0), 6, 8))
        .isNotEqualTo(Arrays.copyOfRange(wire.get(1), 6, 8));
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
