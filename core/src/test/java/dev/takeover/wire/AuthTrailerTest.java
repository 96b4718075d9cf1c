package dev.takeover.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The auth_hmac trailer against the wire images of draft-cassen-vrrp-auth-hmac-00's appendix, the
 * vectors keepalived 2.4.3's test/auth_hmac_test.c checks (key bytes 00..1f, VRID 51, priority 200,
 * sequence 0x6800000080000000), and against the same cases that file runs: tampering, wrong source
 * or VRID, window, replay, sequence growth.
 */
class AuthTrailerTest {
  private static final HexFormat HEX = HexFormat.of();
  static final byte[] KEY =
      HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  private static final long VECTOR_SECOND = 0x68000000L;
  private static final int VECTOR_NANOS = 500_000_000; // fraction 0x8000

  /** IPv4: src 198.51.100.10, VIP 192.0.2.100, checksum over the message only (RFC 9568). */
  static final String IPV4_VECTOR =
      "3133c80100644402c0000264" + "010100006800000080000000" + "1b84bc4e8e43892dc6d98448f8ee2265";

  /** IPv6: src fe80::10, VIP fe80::100, transport checksum for fe80::20 covering the trailer. */
  static final String IPV6_VECTOR =
      "3133c8010064a2e9"
          + "fe800000000000000000000000000100"
          + "010100006800000080000000"
          + "c8c56146ebfd66ee10ec4d8186461b78";

  private static final InetAddress SRC4 = Fixture.address("198.51.100.10");
  private static final InetAddress SRC6 = Fixture.address("fe80::10");
  private static final InetAddress DST6 = Fixture.address("fe80::20");

  static AuthSettings settings(AuthSettings.Mode mode, AuthSettings.AntiReplay antiReplay) {
    return new AuthSettings(List.of(new AuthKey(1, KEY)), 1, mode, antiReplay, 5);
  }

  private static AdvertVerifier monotonic() {
    return new AdvertVerifier(
        settings(AuthSettings.Mode.ENFORCE, AuthSettings.AntiReplay.MONOTONIC));
  }

  private static AdvertVerifier timed() {
    return new AdvertVerifier(settings(AuthSettings.Mode.ENFORCE, AuthSettings.AntiReplay.TIME));
  }

  @Test
  void appendixVectorsVerify() {
    byte[] v4 = HEX.parseHex(IPV4_VECTOR);
    byte[] v6 = HEX.parseHex(IPV6_VECTOR);
    // The appendix time stamps lie outside any live window: monotonic, as auth_hmac_test.c does.
    assertThat(monotonic().verify(v4, 0, 12, true, 51, SRC4, 0)).isEqualTo(AuthResult.OK);
    assertThat(monotonic().verify(v6, 0, 24, true, 51, SRC6, 0)).isEqualTo(AuthResult.OK);
    // ...and in time mode with "now" at the vector's second.
    assertThat(timed().verify(v6, 0, 24, true, 51, SRC6, VECTOR_SECOND)).isEqualTo(AuthResult.OK);
  }

  @Test
  void signingReproducesTheAppendixImagesByteForByte() {
    AdvertSigner signer =
        new AdvertSigner(settings(AuthSettings.Mode.ENFORCE, AuthSettings.AntiReplay.TIME));
    VrrpAdvert advert = new VrrpAdvert(51, 200, 100, List.of(Fixture.address("192.0.2.100")));
    byte[] buf = new byte[64];
    int length =
        VrrpCodec.encodeInto(
            advert, SRC4, Fixture.address("224.0.0.18"), ChecksumMode.VRRP_ONLY, buf);
    length = signer.sign(buf, length, 51, SRC4, VECTOR_SECOND, VECTOR_NANOS);
    assertThat(HEX.formatHex(Arrays.copyOf(buf, length))).isEqualTo(IPV4_VECTOR);

    AdvertSigner signer6 =
        new AdvertSigner(settings(AuthSettings.Mode.ENFORCE, AuthSettings.AntiReplay.TIME));
    VrrpAdvert advert6 = new VrrpAdvert(51, 200, 100, List.of(Fixture.address("fe80::100")));
    byte[] buf6 = new byte[64];
    int length6 = VrrpCodec.encodeInto(advert6, SRC6, DST6, ChecksumMode.PSEUDO_HEADER, buf6);
    length6 = signer6.sign(buf6, length6, 51, SRC6, VECTOR_SECOND, VECTOR_NANOS);
    // The checksum differs: the codec's covers the message, the kernel's (IPV6_CHECKSUM) the whole
    // payload, written after signing; the HMAC reads the field as zero, so both verify.
    byte[] expected6 = HEX.parseHex(IPV6_VECTOR);
    assertThat(Arrays.copyOfRange(buf6, 8, length6))
        .isEqualTo(Arrays.copyOfRange(expected6, 8, 52));
    assertThat(Arrays.copyOf(buf6, 6)).isEqualTo(Arrays.copyOf(expected6, 6));
  }

  @Test
  void theIpv6ChecksumCoversTheTrailerAndTheIpv4OneDoesNot() {
    byte[] v6 = HEX.parseHex(IPV6_VECTOR);
    assertThat(
            VrrpCodec.decode(
                v6, 0, 52, AuthTrailer.LENGTH, SRC6, DST6, 255, ChecksumMode.PSEUDO_HEADER))
        .isEqualTo(
            new Decoded.Ok(new VrrpAdvert(51, 200, 100, List.of(Fixture.address("fe80::100")))));
    byte[] v4 = HEX.parseHex(IPV4_VECTOR);
    assertThat(
            VrrpCodec.decode(
                v4,
                0,
                40,
                AuthTrailer.LENGTH,
                SRC4,
                Fixture.address("224.0.0.18"),
                255,
                ChecksumMode.VRRP_ONLY))
        .isInstanceOf(Decoded.Ok.class);
    // Without knowing of the trailer the message is 28 bytes too long.
    assertThat(
            VrrpCodec.decode(v4, SRC4, Fixture.address("224.0.0.18"), 255, ChecksumMode.VRRP_ONLY))
        .isInstanceOfSatisfying(
            Decoded.Dropped.class,
            d -> assertThat(d.reason()).isEqualTo(DropReason.ADDRESS_COUNT_MISMATCH));
    assertThat(AuthTrailer.present(v4, 0, 40, false)).isTrue();
    assertThat(AuthTrailer.present(v6, 0, 52, true)).isTrue();
    assertThat(AuthTrailer.present(v4, 0, 12, false)).isFalse();
    assertThat(AuthTrailer.present(v6, 0, 24, true)).isFalse();
  }

  static Stream<Arguments> mutations() {
    return Stream.of(
        Arguments.of("tampered priority", 2, AuthResult.BAD_HMAC),
        Arguments.of("tampered advert interval", 5, AuthResult.BAD_HMAC),
        Arguments.of("tampered checksum", 6, AuthResult.OK),
        Arguments.of("tampered vip", 8 + 15, AuthResult.BAD_HMAC),
        Arguments.of("unsupported ext type", 24, AuthResult.MALFORMED),
        Arguments.of("unknown key id", 25, AuthResult.UNKNOWN_KEY),
        Arguments.of("nonzero reserved", 26, AuthResult.MALFORMED),
        Arguments.of("tampered seconds", 28, AuthResult.BAD_HMAC),
        Arguments.of("tampered counter", 34, AuthResult.BAD_HMAC),
        Arguments.of("tampered hmac", 36, AuthResult.BAD_HMAC));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mutations")
  void oneFlippedBitOfTheIpv6Image(String what, int offset, AuthResult expected) {
    byte[] v6 = HEX.parseHex(IPV6_VECTOR);
    v6[offset] ^= 0x01;
    assertThat(monotonic().verify(v6, 0, 24, true, 51, SRC6, 0)).isEqualTo(expected);
  }

  @Test
  void thePseudoHeaderBindsSourceAndVrid() {
    byte[] v6 = HEX.parseHex(IPV6_VECTOR);
    assertThat(monotonic().verify(v6, 0, 24, true, 51, DST6, 0)).isEqualTo(AuthResult.BAD_HMAC);
    assertThat(monotonic().verify(v6, 0, 24, true, 52, SRC6, 0)).isEqualTo(AuthResult.BAD_HMAC);
  }

  @Test
  void aReplayIsRefusedPerReceiverAndTheSameCopyIsGoodAtAnotherPeer() {
    byte[] v6 = HEX.parseHex(IPV6_VECTOR);
    AdvertVerifier receiver = timed();
    assertThat(receiver.verify(v6, 0, 24, true, 51, SRC6, VECTOR_SECOND)).isEqualTo(AuthResult.OK);
    assertThat(receiver.verify(v6, 0, 24, true, 51, SRC6, VECTOR_SECOND))
        .isEqualTo(AuthResult.REPLAY);
    assertThat(timed().verify(v6, 0, 24, true, 51, SRC6, VECTOR_SECOND)).isEqualTo(AuthResult.OK);
  }

  @Test
  void theWindowShedsStaleAndFutureStampsBeforeTheDigest() {
    byte[] v6 = HEX.parseHex(IPV6_VECTOR);
    assertThat(timed().verify(v6, 0, 24, true, 51, SRC6, VECTOR_SECOND + 100))
        .isEqualTo(AuthResult.STALE);
    assertThat(timed().verify(v6, 0, 24, true, 51, SRC6, VECTOR_SECOND - 100))
        .isEqualTo(AuthResult.STALE);
    AdvertVerifier edge = timed();
    assertThat(edge.verify(v6, 0, 24, true, 51, SRC6, VECTOR_SECOND + 5)).isEqualTo(AuthResult.OK);
    assertThat(edge.lastSkewSeconds()).isEqualTo(5);
    // A forged stamp inside the window still fails the HMAC, and moves no mark.
    v6[32] ^= 1; // the fraction: still inside the window
    assertThat(timed().verify(v6, 0, 24, true, 51, SRC6, VECTOR_SECOND))
        .isEqualTo(AuthResult.BAD_HMAC);
  }

  @Test
  void modesDifferOnlyForAMissingTrailer() {
    byte[] v6 = HEX.parseHex(IPV6_VECTOR);
    for (AuthSettings.Mode mode : AuthSettings.Mode.values()) {
      AdvertVerifier v = new AdvertVerifier(settings(mode, AuthSettings.AntiReplay.MONOTONIC));
      assertThat(v.verify(v6, 0, 24, false, 51, SRC6, 0))
          .as(mode.keyword())
          .isEqualTo(mode == AuthSettings.Mode.ENFORCE ? AuthResult.MISSING : AuthResult.OK);
      byte[] bad = v6.clone();
      bad[2] ^= 1;
      assertThat(v.verify(bad, 0, 24, true, 51, SRC6, 0))
          .as(mode.keyword())
          .isEqualTo(AuthResult.BAD_HMAC);
    }
    assertThat(AuthSettings.Mode.RECEIVE_ONLY.signs()).isFalse();
    assertThat(AuthSettings.Mode.PERMISSIVE.signs()).isTrue();
    assertThat(AuthSettings.Mode.ENFORCE.signs()).isTrue();
  }

  @Test
  void sequencesGrowWithinOneTickAndResetAfterAClockStepInTimeMode() {
    AdvertSigner signer =
        new AdvertSigner(settings(AuthSettings.Mode.ENFORCE, AuthSettings.AntiReplay.TIME));
    long first = signer.nextSequence(VECTOR_SECOND, VECTOR_NANOS);
    assertThat(first).isEqualTo(0x6800000080000000L);
    assertThat(signer.nextSequence(VECTOR_SECOND, VECTOR_NANOS)).isEqualTo(first + 1);
    assertThat(signer.nextSequence(VECTOR_SECOND, VECTOR_NANOS + 1)).isEqualTo(first + 2);
    // A sequence stranded an hour ahead (the clock was stepped back) restarts from the clock.
    signer.lastSequence((VECTOR_SECOND + 3600) << 32);
    assertThat(signer.nextSequence(VECTOR_SECOND, 0)).isEqualTo(VECTOR_SECOND << 32);

    AdvertSigner monotonic =
        new AdvertSigner(settings(AuthSettings.Mode.ENFORCE, AuthSettings.AntiReplay.MONOTONIC));
    monotonic.lastSequence((VECTOR_SECOND + 3600) << 32);
    assertThat(monotonic.nextSequence(VECTOR_SECOND, 0))
        .isEqualTo(((VECTOR_SECOND + 3600) << 32) + 1);
  }

  @Test
  void anExpiredMarkIsForgottenInTimeModeAndKeptInMonotonicMode() {
    AdvertSigner signer =
        new AdvertSigner(settings(AuthSettings.Mode.ENFORCE, AuthSettings.AntiReplay.TIME));
    byte[] buf = HEX.parseHex(IPV6_VECTOR);
    signer.sign(buf, 24, 51, SRC6, VECTOR_SECOND, 0);
    AdvertVerifier timed = timed();
    // A mark an hour in the future, left by a sender whose clock was later stepped back.
    byte[] ahead = HEX.parseHex(IPV6_VECTOR);
    AdvertSigner future =
        new AdvertSigner(settings(AuthSettings.Mode.ENFORCE, AuthSettings.AntiReplay.TIME));
    future.sign(ahead, 24, 51, SRC6, VECTOR_SECOND + 3600, 0);
    assertThat(timed.verify(ahead, 0, 24, true, 51, SRC6, VECTOR_SECOND + 3600))
        .isEqualTo(AuthResult.OK);
    assertThat(timed.verify(buf, 0, 24, true, 51, SRC6, VECTOR_SECOND)).isEqualTo(AuthResult.OK);
    assertThat(timed.verify(buf, 0, 24, true, 51, SRC6, VECTOR_SECOND))
        .isEqualTo(AuthResult.REPLAY);

    AdvertVerifier monotonic = monotonic();
    assertThat(monotonic.verify(ahead, 0, 24, true, 51, SRC6, 0)).isEqualTo(AuthResult.OK);
    assertThat(monotonic.verify(buf, 0, 24, true, 51, SRC6, 0)).isEqualTo(AuthResult.REPLAY);
  }

  @Test
  void keyRotationVerifiesEveryConfiguredIdAndSignsWithTheActiveOne() {
    byte[] key2 = KEY.clone();
    key2[0] = 0x55;
    List<AuthKey> both = List.of(new AuthKey(1, KEY), new AuthKey(2, key2));
    AdvertVerifier receiver =
        new AdvertVerifier(
            new AuthSettings(
                both, 1, AuthSettings.Mode.ENFORCE, AuthSettings.AntiReplay.MONOTONIC, 5));
    AdvertSigner old =
        new AdvertSigner(
            new AuthSettings(both, 1, AuthSettings.Mode.ENFORCE, AuthSettings.AntiReplay.TIME, 5));
    AdvertSigner rotated =
        new AdvertSigner(
            new AuthSettings(both, 2, AuthSettings.Mode.ENFORCE, AuthSettings.AntiReplay.TIME, 5));
    byte[] a = HEX.parseHex(IPV6_VECTOR);
    old.sign(a, 24, 51, SRC6, VECTOR_SECOND, 0);
    byte[] b = HEX.parseHex(IPV6_VECTOR);
    rotated.sign(b, 24, 51, SRC6, VECTOR_SECOND + 1, 0);
    assertThat(a[25]).isEqualTo((byte) 1);
    assertThat(b[25]).isEqualTo((byte) 2);
    assertThat(receiver.verify(a, 0, 24, true, 51, SRC6, 0)).isEqualTo(AuthResult.OK);
    assertThat(receiver.verify(b, 0, 24, true, 51, SRC6, 0)).isEqualTo(AuthResult.OK);
    // After the old key is retired, its adverts name an unknown id.
    AdvertVerifier retired =
        new AdvertVerifier(
            new AuthSettings(
                List.of(new AuthKey(2, key2)),
                2,
                AuthSettings.Mode.ENFORCE,
                AuthSettings.AntiReplay.MONOTONIC,
                5));
    assertThat(retired.verify(a, 0, 24, true, 51, SRC6, 0)).isEqualTo(AuthResult.UNKNOWN_KEY);
  }

  @Test
  void aFloodOfSourcesKeepsTheReplayTableBounded() throws Exception {
    AdvertVerifier receiver =
        new AdvertVerifier(settings(AuthSettings.Mode.ENFORCE, AuthSettings.AntiReplay.TIME), 16);
    AdvertSigner signer =
        new AdvertSigner(settings(AuthSettings.Mode.ENFORCE, AuthSettings.AntiReplay.TIME));
    byte[] buf = HEX.parseHex(IPV4_VECTOR);
    // Spoofed sources without the key never get an entry.
    for (int i = 0; i < 10_000; i++) {
      InetAddress spoofed =
          InetAddress.getByAddress(new byte[] {(byte) 198, 18, (byte) (i >> 8), (byte) i});
      assertThat(receiver.verify(buf, 0, 12, true, 51, spoofed, VECTOR_SECOND))
          .isEqualTo(AuthResult.BAD_HMAC);
    }
    assertThat(receiver.sendersRemembered()).isZero();
    // Key holders from many sources: capped, the least recently heard forgotten first.
    for (int i = 0; i < 1_000; i++) {
      InetAddress source =
          InetAddress.getByAddress(new byte[] {(byte) 198, 18, (byte) (i >> 8), (byte) i});
      signer.sign(buf, 12, 51, source, VECTOR_SECOND, 0);
      assertThat(receiver.verify(buf, 0, 12, true, 51, source, VECTOR_SECOND))
          .isEqualTo(AuthResult.OK);
    }
    assertThat(receiver.sendersRemembered()).isEqualTo(16);
  }

  @Test
  void keysAreRedactedAndCheckedForLength() {
    AuthKey key = new AuthKey(7, KEY);
    assertThat(key.toString()).doesNotContain("00010203").contains("redacted");
    assertThat(key).isEqualTo(new AuthKey(7, KEY.clone())).isNotEqualTo(new AuthKey(8, KEY));
    assertThatThrownBy(() -> new AuthKey(1, new byte[31])).hasMessageContaining("32..64");
    assertThatThrownBy(() -> new AuthKey(1, new byte[65])).hasMessageContaining("32..64");
    assertThatThrownBy(() -> new AuthKey(0, KEY)).hasMessageContaining("1..255");
    assertThatThrownBy(
            () ->
                new AuthSettings(
                    List.of(key), 1, AuthSettings.Mode.ENFORCE, AuthSettings.AntiReplay.TIME, 5))
        .hasMessageContaining("active key 1");
    assertThat(AuthSettings.defaultWindowSeconds(100_000_000L)).isEqualTo(5);
    assertThat(AuthSettings.defaultWindowSeconds(2_500_000_000L)).isEqualTo(6);
    assertThat(AuthSettings.defaultWindowSeconds(40_950_000_000L)).isEqualTo(120);
  }
}
