package dev.takeover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.takeover.clock.ManualClock;
import dev.takeover.wire.ChecksumMode;
import dev.takeover.wire.DropReason;
import dev.takeover.wire.VrrpAdvert;
import dev.takeover.wire.VrrpCodec;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The receiver's own checks (RFC 5798 §7.1, per group) on top of the codec's. */
class AdvertIntakeTest {
  private static final InetAddress SELF = ip("198.18.0.1");
  private static final InetAddress PEER = ip("198.18.0.2");
  private static final InetAddress STRANGER = ip("198.18.0.9");
  private static final InetAddress GROUP = ip("224.0.0.18");
  private static final InetAddress VIP = ip("198.18.0.50");

  private final List<Event> posted = new ArrayList<>();

  private AdvertIntake intake(boolean owner, List<InetAddress> peers) {
    var member =
        new AdvertIntake.Member(
            0,
            "[web][VRID 51][IPv4]",
            51,
            owner,
            ChecksumMode.PSEUDO_HEADER,
            List.of(VIP),
            peers,
            Set.of(SELF));
    return new AdvertIntake(List.of(member), posted::add, new ManualClock(42L, Instant.EPOCH));
  }

  private static byte[] advert(int vrid, int priority, InetAddress source, InetAddress... vips) {
    return VrrpCodec.encode(
        new VrrpAdvert(vrid, priority, 10, List.of(vips)),
        source,
        GROUP,
        ChecksumMode.PSEUDO_HEADER);
  }

  private static void deliver(AdvertIntake intake, byte[] msg, InetAddress source, int ttl) {
    intake.onMessage(msg, 0, msg.length, source, GROUP, ttl);
  }

  @Test
  void acceptedAdvertBecomesAnEventWithTheReceiveTime() {
    AdvertIntake intake = intake(false, List.of());
    deliver(intake, advert(51, 200, PEER, VIP), PEER, 255);
    assertThat(posted).containsExactly(new Event.AdvertReceived(0, PEER, 200, 10, 42L));
    assertThat(intake.accepted()).isEqualTo(1);
  }

  @Test
  void codecDropsAreCountedByReason() {
    AdvertIntake intake = intake(false, List.of());
    deliver(intake, advert(51, 200, PEER, VIP), PEER, 254);
    assertThat(posted).isEmpty();
    assertThat(intake.dropped(DropReason.BAD_TTL)).isEqualTo(1);
  }

  @Test
  void unknownVridIsDropped() {
    AdvertIntake intake = intake(false, List.of());
    deliver(intake, advert(52, 200, PEER, VIP), PEER, 255);
    assertThat(posted).isEmpty();
    assertThat(intake.dropped(DropReason.UNKNOWN_VRID)).isEqualTo(1);
  }

  @Test
  void aForeignVridIsLoggedOnceThenOnlyCounted() {
    Logger packets = (Logger) LoggerFactory.getLogger("takeover.packets");
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    packets.addAppender(logged);
    try {
      AdvertIntake intake = intake(false, List.of());
      for (int i = 0; i < 3; i++) {
        deliver(intake, advert(52, 200, STRANGER, VIP), STRANGER, 255);
        deliver(intake, advert(53, 200, STRANGER, VIP), STRANGER, 255);
      }
      assertThat(intake.dropped(DropReason.UNKNOWN_VRID)).isEqualTo(6);
      assertThat(logged.list).hasSize(2);
      assertThat(logged.list)
          .allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.INFO))
          .extracting(ILoggingEvent::getFormattedMessage)
          .allSatisfy(m -> assertThat(m).contains("from 198.18.0.9 are ignored"))
          .anySatisfy(m -> assertThat(m).startsWith("adverts for VRID 52 "))
          .anySatisfy(m -> assertThat(m).startsWith("adverts for VRID 53 "));
    } finally {
      packets.detachAppender(logged);
    }
  }

  @Test
  void addressOwnerIgnoresAdverts() {
    AdvertIntake intake = intake(true, List.of());
    deliver(intake, advert(51, 200, PEER, VIP), PEER, 255);
    // Not an advert for the machine; only news of a rival for the policy.
    assertThat(posted)
        .containsExactly(new Event.RivalAdvert(0, PEER, DropReason.ADDRESS_OWNER, 200, 42L));
    assertThat(intake.dropped(DropReason.ADDRESS_OWNER)).isEqualTo(1);
    assertThat(intake.droppedFor(51)).containsEntry(DropReason.ADDRESS_OWNER, 1L);
  }

  @Test
  void unicastModeHearsOnlyItsPeers() {
    AdvertIntake intake = intake(false, List.of(PEER));
    deliver(intake, advert(51, 200, STRANGER, VIP), STRANGER, 255);
    deliver(intake, advert(51, 200, PEER, VIP), PEER, 255);
    assertThat(posted)
        .containsExactly(
            new Event.RivalAdvert(0, STRANGER, DropReason.NOT_A_PEER, 200, 42L),
            new Event.AdvertReceived(0, PEER, 200, 10, 42L));
    assertThat(intake.dropped(DropReason.NOT_A_PEER)).isEqualTo(1);
  }

  @Test
  void ownAdvertsLoopedBackAreIgnoredSilently() {
    AdvertIntake intake = intake(false, List.of());
    deliver(intake, advert(51, 100, SELF, VIP), SELF, 255);
    assertThat(posted).isEmpty();
    assertThat(intake.accepted()).isZero();
  }

  @Test
  void differentAddressListIsCountedButAccepted() {
    AdvertIntake intake = intake(false, List.of());
    deliver(intake, advert(51, 200, PEER, ip("198.18.0.51")), PEER, 255);
    assertThat(posted)
        .containsExactly(
            new Event.RivalAdvert(0, PEER, DropReason.ADDRESS_LIST_MISMATCH, 200, 42L),
            new Event.AdvertReceived(0, PEER, 200, 10, 42L));
    assertThat(intake.dropped(DropReason.ADDRESS_LIST_MISMATCH)).isEqualTo(1);
  }

  @Test
  void addressListsCompareAsSets() throws Exception {
    InetAddress a = InetAddress.getByName("198.18.0.50");
    InetAddress b = InetAddress.getByName("198.18.0.51");
    assertThat(AdvertIntake.sameAddresses(List.of(a, b), List.of(b, a))).isTrue();
    assertThat(AdvertIntake.sameAddresses(List.of(a), List.of(a, b))).isFalse();
    assertThat(AdvertIntake.sameAddresses(List.of(a, a), List.of(a, b))).isFalse();
    assertThat(AdvertIntake.sameAddresses(List.of(), List.of())).isTrue();
  }

  @Test
  void garbageNeverThrows() {
    AdvertIntake intake = intake(false, List.of());
    byte[] junk = {0x31};
    deliver(intake, junk, PEER, 255);
    deliver(intake, new byte[0], PEER, 255);
    assertThat(posted).isEmpty();
    assertThat(intake.dropped(DropReason.TOO_SHORT)).isEqualTo(2);
  }

  @Test
  void dropsCountForTheirGroupAndRivalsReachItsPolicyRateLimited() {
    AdvertIntake intake = intake(false, List.of());
    byte[] v2 = advert(51, 150, PEER, VIP);
    v2[0] = 0x21; // VRRPv2 (RFC 3768): same VRID and priority bytes
    deliver(intake, v2, PEER, 255);
    deliver(intake, v2, PEER, 255); // within the gap: counted, not posted again
    byte[] routed = advert(51, 150, PEER, VIP);
    deliver(intake, routed, PEER, 64);
    deliver(intake, advert(77, 150, PEER, VIP), PEER, 255); // not ours: no group to count for
    assertThat(posted)
        .containsExactly(new Event.RivalAdvert(0, PEER, DropReason.BAD_VERSION, 150, 42L));
    assertThat(intake.droppedFor(51))
        .containsExactly(
            java.util.Map.entry(DropReason.BAD_TTL, 1L),
            java.util.Map.entry(DropReason.BAD_VERSION, 2L));
    assertThat(intake.droppedFor(77)).isEmpty();
  }

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A name-only group with peers behind routers (accept-ttl 250-255): an advert from its peer that
   * crossed a router (TTL 254) and lists the peer's own address is accepted; the same from anyone
   * else is NOT_A_PEER; one under the range is BAD_TTL; one that lists something other than its
   * sender is accepted with the address-list complaint. A group without the range still drops 254.
   */
  @Test
  void aNameOnlyGroupAcceptsRoutedAdvertsFromItsPeersOnly() {
    InetAddress routedPeer = ip("198.18.1.2");
    var member =
        new AdvertIntake.Member(
            0,
            "[web][VRID 51][IPv4]",
            51,
            false,
            dev.takeover.wire.WireFormat.v3(ChecksumMode.PSEUDO_HEADER),
            List.of(),
            List.of(routedPeer),
            Set.of(SELF),
            java.util.Optional.empty(),
            new dev.takeover.wire.TtlRange(250, 255));
    AdvertIntake intake =
        new AdvertIntake(List.of(member), posted::add, new ManualClock(42L, Instant.EPOCH));
    byte[] fromPeer =
        VrrpCodec.encode(
            new VrrpAdvert(51, 200, 10, List.of(routedPeer)),
            routedPeer,
            SELF,
            ChecksumMode.PSEUDO_HEADER);
    intake.onMessage(fromPeer, 0, fromPeer.length, routedPeer, SELF, 254);
    assertThat(posted).containsExactly(new Event.AdvertReceived(0, routedPeer, 200, 10, 42L));
    assertThat(intake.dropped(DropReason.ADDRESS_LIST_MISMATCH)).isZero();

    intake.onMessage(fromPeer, 0, fromPeer.length, routedPeer, SELF, 249);
    assertThat(intake.dropped(DropReason.BAD_TTL)).isEqualTo(1);

    byte[] fromStranger =
        VrrpCodec.encode(
            new VrrpAdvert(51, 200, 10, List.of(STRANGER)),
            STRANGER,
            SELF,
            ChecksumMode.PSEUDO_HEADER);
    intake.onMessage(fromStranger, 0, fromStranger.length, STRANGER, SELF, 254);
    assertThat(intake.dropped(DropReason.NOT_A_PEER)).isEqualTo(1);

    byte[] listsOther =
        VrrpCodec.encode(
            new VrrpAdvert(51, 200, 10, List.of(VIP)),
            routedPeer,
            SELF,
            ChecksumMode.PSEUDO_HEADER);
    intake.onMessage(listsOther, 0, listsOther.length, routedPeer, SELF, 254);
    assertThat(intake.dropped(DropReason.ADDRESS_LIST_MISMATCH)).isEqualTo(1);
    assertThat(intake.accepted()).isEqualTo(2);

    AdvertIntake strict = intake(false, List.of(routedPeer));
    strict.onMessage(fromPeer, 0, fromPeer.length, routedPeer, SELF, 254);
    assertThat(strict.dropped(DropReason.BAD_TTL)).isEqualTo(1);
  }

  private AdvertIntake v2Intake(String password) {
    var member =
        new AdvertIntake.Member(
            0,
            "[web][VRID 51][IPv4]",
            51,
            false,
            v2(password),
            List.of(VIP),
            List.of(),
            Set.of(SELF),
            java.util.Optional.empty());
    return new AdvertIntake(List.of(member), posted::add, new ManualClock(42L, Instant.EPOCH));
  }

  private static dev.takeover.wire.WireFormat v2(String password) {
    return dev.takeover.wire.WireFormat.v2(
        java.util.Optional.of(
            dev.takeover.wire.SimplePassword.of(
                password.getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
  }

  private static byte[] v2Advert(String password) {
    return VrrpCodec.encode(VrrpAdvert.v2(51, 200, 1, List.of(VIP)), PEER, GROUP, v2(password));
  }

  @Test
  void aVrrpv2AdvertWithThePasswordIsAcceptedInCentiseconds() {
    AdvertIntake intake = v2Intake("secret12");
    deliver(intake, v2Advert("secret12"), PEER, 255);
    assertThat(posted).containsExactly(new Event.AdvertReceived(0, PEER, 200, 100, 42L));
  }

  @Test
  void aWrongVrrpv2PasswordIsDroppedCountedAndSeenAsARival() {
    AdvertIntake intake = v2Intake("secret12");
    deliver(intake, v2Advert("wrong"), PEER, 255);
    assertThat(intake.dropped(DropReason.AUTH_BAD_PASSWORD)).isEqualTo(1);
    assertThat(intake.droppedFor(51)).containsEntry(DropReason.AUTH_BAD_PASSWORD, 1L);
    assertThat(posted).noneMatch(e -> e instanceof Event.AdvertReceived);
    assertThat(AdvertIntake.RIVAL_REASONS).contains(DropReason.AUTH_BAD_PASSWORD);
  }

  @Test
  void aVrrpv3AdvertToAVrrpv2GroupIsABadVersion() {
    AdvertIntake intake = v2Intake("secret12");
    deliver(intake, advert(51, 200, PEER, VIP), PEER, 255);
    assertThat(intake.dropped(DropReason.BAD_VERSION)).isEqualTo(1);
    assertThat(posted).noneMatch(e -> e instanceof Event.AdvertReceived);
  }
}
