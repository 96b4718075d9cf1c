package dev.takeover.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Adverts signed by a real keepalived 2.4.3 with {@code auth_hmac} (fixtures/PROVENANCE.md,
 * capture-auth.sh): decoded with the trailer split off, verified with the appendix key at the
 * capture time, and re-signed byte for byte from the same sequence.
 */
class KeepalivedAuthFixturesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({"vrrp-v4-auth.hex, 198.18.0.50", "vrrp-v6-auth.hex, 2001:db8::50"})
  void keepalivedsSignedAdvertDecodesVerifiesAndIsReproduced(String name, String vip) {
    Fixture fixture = Fixture.load(name);
    Fixture.IpHeader ip = fixture.ip();
    byte[] payload = ip.payload();
    boolean ipv6 = ip.version() == 6;
    assertThat(AuthTrailer.present(payload, 0, payload.length, ipv6)).isTrue();

    Decoded decoded =
        VrrpCodec.decode(
            payload,
            0,
            payload.length,
            AuthTrailer.LENGTH,
            ip.source(),
            ip.destination(),
            ip.ttlOrHopLimit(),
            ChecksumMode.PSEUDO_HEADER);
    assertThat(decoded)
        .isEqualTo(new Decoded.Ok(new VrrpAdvert(51, 100, 100, List.of(Fixture.address(vip)))));

    int messageLength = payload.length - AuthTrailer.LENGTH;
    long sequence = AuthTrailer.sequence(payload, messageLength);
    long captured = AuthTrailer.seconds(sequence);
    AdvertVerifier verifier =
        new AdvertVerifier(
            AuthTrailerTest.settings(AuthSettings.Mode.ENFORCE, AuthSettings.AntiReplay.TIME));
    InetAddress source = ip.source();
    assertThat(verifier.verify(payload, 0, messageLength, true, 51, source, captured))
        .isEqualTo(AuthResult.OK);
    assertThat(verifier.verify(payload, 0, messageLength, true, 51, source, captured))
        .as("the same capture again")
        .isEqualTo(AuthResult.REPLAY);
    assertThat(
            new AdvertVerifier(
                    AuthTrailerTest.settings(
                        AuthSettings.Mode.ENFORCE, AuthSettings.AntiReplay.TIME))
                .verify(payload, 0, messageLength, true, 51, source, captured + 60))
        .as("a minute later")
        .isEqualTo(AuthResult.STALE);

    // Our signer, given keepalived's sequence, writes the same 28 bytes.
    long fraction = (sequence >>> 16) & 0xffff;
    int nanos = (int) ((fraction * 1_000_000_000L + 65535) >>> 16);
    assertThat(AuthTrailer.clockSequence(captured, nanos)).isEqualTo(sequence & ~0xffffL);
    byte[] ours = payload.clone();
    AdvertSigner signer =
        new AdvertSigner(
            AuthTrailerTest.settings(AuthSettings.Mode.ENFORCE, AuthSettings.AntiReplay.TIME));
    signer.lastSequence(sequence - 1);
    signer.sign(ours, messageLength, 51, source, captured, nanos);
    assertThat(ours).isEqualTo(payload);
  }
}
