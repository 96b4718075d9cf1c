package dev.takeover.wire;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * VRRPv2 adverts captured from keepalived 2.2.7 with {@code vrrp_version 2}
 * (fixtures/PROVENANCE.md, capture-v2.sh): decoded in the group's {@link WireFormat}, re-encoded
 * byte for byte, and the authentication and version checks as keepalived makes them.
 */
class KeepalivedV2FixturesTest {
  private static final InetAddress KEEPALIVED = Fixture.address("198.18.0.1");
  private static final InetAddress GROUP = Fixture.address("224.0.0.18");
  private static final InetAddress VIP = Fixture.address("198.18.0.50");
  private static final InetAddress VIP_2 = Fixture.address("198.18.0.51");
  private static final WireFormat NONE = WireFormat.v2(Optional.empty());
  private static final WireFormat SECRET12 = pass("secret12");
  private static final WireFormat ABC = pass("abc");

  private static WireFormat pass(String password) {
    return WireFormat.v2(Optional.of(SimplePassword.of(password.getBytes(US_ASCII))));
  }

  static Stream<Arguments> fixtures() {
    return Stream.of(
        Arguments.of("vrrp2-v4-1s.hex", NONE, VrrpAdvert.v2(51, 100, 1, List.of(VIP))),
        Arguments.of("vrrp2-v4-1s-priority0.hex", NONE, VrrpAdvert.v2(51, 0, 1, List.of(VIP))),
        Arguments.of("vrrp2-v4-pass.hex", SECRET12, VrrpAdvert.v2(51, 100, 1, List.of(VIP))),
        Arguments.of(
            "vrrp2-v4-pass-short-two-vips.hex",
            ABC,
            VrrpAdvert.v2(51, 100, 3, List.of(VIP, VIP_2))));
  }

  private static Decoded decode(byte[] payload, WireFormat format) {
    return VrrpCodec.decode(
        payload, 0, payload.length, 0, KEEPALIVED, GROUP, 255, TtlRange.STRICT, format);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void decodesAndReencodesByteForByte(String name, WireFormat format, VrrpAdvert expected) {
    Fixture.IpHeader ip = Fixture.load(name).ip();
    assertThat(ip.ttlOrHopLimit()).isEqualTo(255);
    assertThat(ip.protocol()).isEqualTo(VrrpCodec.IP_PROTOCOL);

    Decoded decoded = decode(ip.payload(), format);

    assertThat(decoded).isEqualTo(new Decoded.Ok(expected));
    VrrpAdvert advert = ((Decoded.Ok) decoded).advert();
    assertThat(advert.version()).isEqualTo(2);
    assertThat(VrrpCodec.encode(advert, KEEPALIVED, GROUP, format)).isEqualTo(ip.payload());
    // The checksum has no pseudo-header: another source or destination does not change a byte.
    assertThat(
            VrrpCodec.encode(
                advert, Fixture.address("198.18.0.9"), Fixture.address("198.18.0.2"), format))
        .isEqualTo(ip.payload());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void patchingThePriorityKeepsTheChecksumRight(
      String name, WireFormat format, VrrpAdvert expected) {
    byte[] message = VrrpCodec.encode(expected, KEEPALIVED, GROUP, format);
    VrrpCodec.patchPriority(message, 0, 0);
    assertThat(message)
        .isEqualTo(VrrpCodec.encode(expected.withPriority(0), KEEPALIVED, GROUP, format));
  }

  @Test
  void theStopAdvertIsTheFirstWithPriorityZero() {
    byte[] first = Fixture.load("vrrp2-v4-1s.hex").ip().payload();
    VrrpCodec.patchPriority(first, 0, 0);
    assertThat(first).isEqualTo(Fixture.load("vrrp2-v4-1s-priority0.hex").ip().payload());
  }

  @Test
  void aWrongPasswordIsDroppedWithItsOwnReason() {
    byte[] payload = Fixture.load("vrrp2-v4-pass.hex").ip().payload();
    assertThat(reason(decode(payload, pass("secret13")))).isEqualTo(DropReason.AUTH_BAD_PASSWORD);
    assertThat(reason(decode(payload, pass("secret1")))).isEqualTo(DropReason.AUTH_BAD_PASSWORD);
    byte[] shortOne = Fixture.load("vrrp2-v4-pass-short-two-vips.hex").ip().payload();
    assertThat(reason(decode(shortOne, pass("abcd")))).isEqualTo(DropReason.AUTH_BAD_PASSWORD);
    assertThat(decode(shortOne, ABC)).isInstanceOf(Decoded.Ok.class);
  }

  @Test
  void aPasswordOnOneSideOnlyIsAnAuthTypeMismatch() {
    byte[] plain = Fixture.load("vrrp2-v4-1s.hex").ip().payload();
    byte[] signed = Fixture.load("vrrp2-v4-pass.hex").ip().payload();
    assertThat(reason(decode(plain, SECRET12))).isEqualTo(DropReason.AUTH_TYPE_MISMATCH);
    assertThat(reason(decode(signed, NONE))).isEqualTo(DropReason.AUTH_TYPE_MISMATCH);
    assertThat(DropReason.AUTH_TYPE_MISMATCH.authentication()).isTrue();
    assertThat(DropReason.AUTH_BAD_PASSWORD.authentication()).isTrue();
  }

  @Test
  void versionsNeverMix() {
    byte[] v2 = Fixture.load("vrrp2-v4-1s.hex").ip().payload();
    byte[] v3 = Fixture.load("vrrp-v4-1s.hex").ip().payload();
    Decoded v2InV3 = decode(v2, WireFormat.DEFAULT);
    assertThat(reason(v2InV3)).isEqualTo(DropReason.BAD_VERSION);
    assertThat(((Decoded.Dropped) v2InV3).detail()).contains("VRRPv2 router");
    Decoded v3InV2 = decode(v3, NONE);
    assertThat(reason(v3InV2)).isEqualTo(DropReason.BAD_VERSION);
    assertThat(((Decoded.Dropped) v3InV2).detail()).contains("VRRPv3 router");
    assertThatThrownBy(
            () ->
                VrrpCodec.encode(
                    VrrpAdvert.v2(51, 100, 1, List.of(VIP)), KEEPALIVED, GROUP, WireFormat.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void damageIsABadChecksumAndTheLengthMustHoldTheAuthData() {
    byte[] payload = Fixture.load("vrrp2-v4-pass.hex").ip().payload();
    byte[] damaged = payload.clone();
    damaged[payload.length - 1] ^= 1;
    assertThat(reason(decode(damaged, SECRET12))).isEqualTo(DropReason.BAD_CHECKSUM);
    assertThat(reason(decode(Arrays.copyOf(payload, payload.length - 8), SECRET12)))
        .isEqualTo(DropReason.TRUNCATED);
    assertThat(reason(decode(Arrays.copyOf(payload, payload.length + 4), SECRET12)))
        .isEqualTo(DropReason.ADDRESS_COUNT_MISMATCH);
    assertThat(
            reason(
                VrrpCodec.decode(
                    payload,
                    0,
                    payload.length,
                    0,
                    KEEPALIVED,
                    GROUP,
                    64,
                    TtlRange.STRICT,
                    SECRET12)))
        .isEqualTo(DropReason.BAD_TTL);
    InetAddress v6 = Fixture.address("fe80::1");
    assertThat(
            reason(
                VrrpCodec.decode(
                    payload,
                    0,
                    payload.length,
                    0,
                    v6,
                    Fixture.address("ff02::12"),
                    255,
                    TtlRange.STRICT,
                    SECRET12)))
        .isEqualTo(DropReason.ADDRESS_FAMILY_MISMATCH);
  }

  @Test
  void anIntervalOfZeroSecondsIsDropped() {
    byte[] message =
        VrrpCodec.encode(VrrpAdvert.v2(51, 100, 0, List.of(VIP)), KEEPALIVED, GROUP, NONE);
    assertThat(reason(decode(message, NONE))).isEqualTo(DropReason.BAD_INTERVAL);
  }

  @Test
  void passwordsAreOneToEightBytesAndNeverShown() {
    assertThatThrownBy(() -> SimplePassword.of(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SimplePassword.of("secret123".getBytes(US_ASCII)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(SimplePassword.of("secret12".getBytes(US_ASCII)).toString())
        .doesNotContain("secret");
    assertThat(SECRET12).isEqualTo(pass("secret12")).isNotEqualTo(pass("secret13"));
  }

  @Test
  void aVrrpv2AdvertIsIpv4WithWholeSeconds() {
    assertThatThrownBy(() -> new VrrpAdvert(2, 1, 51, 100, 150, List.of(VIP)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VrrpAdvert.v2(51, 100, 256, List.of(VIP)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VrrpAdvert.v2(51, 100, 1, List.of(Fixture.address("2001:db8::1"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new WireFormat(
                    3, ChecksumMode.PSEUDO_HEADER, Optional.of(SimplePassword.of(new byte[] {1}))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static DropReason reason(Decoded decoded) {
    assertThat(decoded).isInstanceOf(Decoded.Dropped.class);
    return ((Decoded.Dropped) decoded).reason();
  }
}
