package dev.takeover.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class VrrpCodecTest {
  private static final InetAddress SOURCE_V4 = Fixture.address("198.18.0.1");
  private static final InetAddress GROUP_V4 = Fixture.address("224.0.0.18");
  private static final InetAddress SOURCE_V6 = Fixture.address("fe80::ff:fe00:1");
  private static final InetAddress GROUP_V6 = Fixture.address("ff02::12");
  private static final InetAddress VIP = Fixture.address("198.18.0.50");
  private static final InetAddress VIP_V6 = Fixture.address("2001:db8::50");
  private static final HexFormat HEX = HexFormat.of();

  /** One valid IPv4 advert: VRID 51, priority 100, 1 s, VIP 198.18.0.50, pseudo-header checksum. */
  private static byte[] validV4() {
    return VrrpCodec.encode(
        new VrrpAdvert(51, 100, 100, List.of(VIP)),
        SOURCE_V4,
        GROUP_V4,
        ChecksumMode.PSEUDO_HEADER);
  }

  private static byte[] validV6() {
    return VrrpCodec.encode(
        new VrrpAdvert(51, 100, 100, List.of(VIP_V6)),
        SOURCE_V6,
        GROUP_V6,
        ChecksumMode.PSEUDO_HEADER);
  }

  /** Rewrites the checksum after a mutation, so later checks are reached. */
  private static byte[] rechecksum(byte[] message, InetAddress source, InetAddress destination) {
    message[6] = 0;
    message[7] = 0;
    long sum = InternetChecksum.pseudoHeader(source, destination, message.length, 112);
    int checksum = InternetChecksum.finish(InternetChecksum.add(sum, message, 0, message.length));
    message[6] = (byte) (checksum >>> 8);
    message[7] = (byte) checksum;
    return message;
  }

  static List<InetAddress> v4Addresses(int n) {
    List<InetAddress> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(Fixture.address("198.18." + (i / 250) + "." + (1 + i % 250)));
    }
    return list;
  }

  static List<InetAddress> v6Addresses(int n) {
    List<InetAddress> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(Fixture.address("2001:db8::" + Integer.toHexString(i + 1)));
    }
    return list;
  }

  static Stream<Arguments> adverts() {
    List<Arguments> rows = new ArrayList<>();
    List<VrrpAdvert> v4 =
        List.of(
            new VrrpAdvert(1, 0, 1, v4Addresses(1)),
            new VrrpAdvert(51, 100, 100, v4Addresses(1)),
            new VrrpAdvert(255, 255, 4095, v4Addresses(2)),
            new VrrpAdvert(7, 1, 0xabc, v4Addresses(255)),
            new VrrpAdvert(9, 200, 300, List.of()));
    List<VrrpAdvert> v6 =
        List.of(
            new VrrpAdvert(1, 0, 1, v6Addresses(1)),
            new VrrpAdvert(51, 100, 100, v6Addresses(3)),
            new VrrpAdvert(255, 255, 4095, v6Addresses(255)),
            new VrrpAdvert(9, 200, 300, List.of()));
    for (ChecksumMode mode : ChecksumMode.values()) {
      v4.forEach(a -> rows.add(Arguments.of(a, SOURCE_V4, GROUP_V4, mode)));
      v6.forEach(a -> rows.add(Arguments.of(a, SOURCE_V6, GROUP_V6, mode)));
      // unicast adverts go to the peer's address
      v4.forEach(a -> rows.add(Arguments.of(a, SOURCE_V4, Fixture.address("198.18.0.2"), mode)));
    }
    return rows.stream();
  }

  @ParameterizedTest
  @MethodSource("adverts")
  void decodeOfEncodeIsTheAdvert(
      VrrpAdvert advert, InetAddress source, InetAddress destination, ChecksumMode mode) {
    byte[] message = VrrpCodec.encode(advert, source, destination, mode);

    assertThat(message)
        .hasSize(8 + advert.addresses().size() * (source instanceof Inet6Address ? 16 : 4));
    assertThat(VrrpCodec.decode(message, source, destination, 255, mode))
        .isEqualTo(new Decoded.Ok(advert));
  }

  @ParameterizedTest
  @MethodSource("adverts")
  void encodeOfDecodeIsTheBytes(
      VrrpAdvert advert, InetAddress source, InetAddress destination, ChecksumMode mode) {
    byte[] message = VrrpCodec.encode(advert, source, destination, mode);
    byte[] copy = message.clone();

    Decoded.Ok ok = (Decoded.Ok) VrrpCodec.decode(copy, source, destination, 255, mode);

    assertThat(VrrpCodec.encode(ok.advert(), source, destination, mode)).isEqualTo(message);
  }

  @Test
  void encodesTheRfcLayout() {
    byte[] message =
        VrrpCodec.encode(
            new VrrpAdvert(51, 100, 100, List.of(VIP)),
            SOURCE_V4,
            GROUP_V4,
            ChecksumMode.VRRP_ONLY);

    // version 3 | type 1, VRID 51, priority 100, count 1, rsvd 0 | interval 100, checksum, address
    assertThat(HEX.formatHex(message)).isEqualTo("313364010064a422c6120032");
    assertThat(InternetChecksum.of(message, 0, message.length)).isZero();
  }

  @Test
  void decodesAtAnOffsetInsideALargerBuffer() {
    byte[] message = validV4();
    byte[] buffer = new byte[message.length + 20];
    System.arraycopy(message, 0, buffer, 7, message.length);
    buffer[7 + message.length] = 0x55; // bytes after the message must not be read

    assertThat(
            VrrpCodec.decode(
                buffer, 7, message.length, SOURCE_V4, GROUP_V4, 255, ChecksumMode.PSEUDO_HEADER))
        .isEqualTo(new Decoded.Ok(new VrrpAdvert(51, 100, 100, List.of(VIP))));
  }

  @Test
  void encodeIntoReusesTheCallersBuffer() {
    byte[] buffer = new byte[VrrpCodec.MAX_LENGTH];
    VrrpAdvert advert = new VrrpAdvert(51, 100, 100, List.of(VIP));

    int length =
        VrrpCodec.encodeInto(advert, SOURCE_V4, GROUP_V4, ChecksumMode.PSEUDO_HEADER, buffer);

    assertThat(length).isEqualTo(12);
    assertThat(Arrays.copyOf(buffer, length)).isEqualTo(validV4());
    assertThatThrownBy(
            () ->
                VrrpCodec.encodeInto(
                    advert, SOURCE_V4, GROUP_V4, ChecksumMode.PSEUDO_HEADER, new byte[11]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @MethodSource("adverts")
  void patchPriorityEqualsReencodingForEveryPriority(
      VrrpAdvert advert, InetAddress source, InetAddress destination, ChecksumMode mode) {
    byte[] buffer = VrrpCodec.encode(advert, source, destination, mode);
    for (int priority = 0; priority <= 255; priority++) {
      VrrpCodec.patchPriority(buffer, 0, priority);

      assertThat(buffer)
          .as("priority %d", priority)
          .isEqualTo(VrrpCodec.encode(advert.withPriority(priority), source, destination, mode));
    }
  }

  @Test
  void encodeRejectsMixedFamilies() {
    VrrpAdvert v4 = new VrrpAdvert(51, 100, 100, List.of(VIP));
    assertThatThrownBy(() -> VrrpCodec.encode(v4, SOURCE_V6, GROUP_V6, ChecksumMode.PSEUDO_HEADER))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VrrpCodec.encode(v4, SOURCE_V4, GROUP_V6, ChecksumMode.PSEUDO_HEADER))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reservedBitsAreIgnoredOnReceipt() {
    byte[] message = validV4();
    message[4] |= (byte) 0xf0; // RFC 5798 §5.2.6: MUST be ignored
    rechecksum(message, SOURCE_V4, GROUP_V4);

    assertThat(VrrpCodec.decode(message, SOURCE_V4, GROUP_V4, 255, ChecksumMode.PSEUDO_HEADER))
        .isEqualTo(new Decoded.Ok(new VrrpAdvert(51, 100, 100, List.of(VIP))));
  }

  @Test
  void ipv4MappedAddressesInAnIpv6AdvertStayIpv6() {
    InetAddress mapped = Fixture.address("::ffff:198.18.0.50"); // Java parses this as Inet4Address
    byte[] message = validV6();
    byte[] raw = new byte[16];
    raw[10] = (byte) 0xff;
    raw[11] = (byte) 0xff;
    System.arraycopy(mapped.getAddress(), 0, raw, 12, 4);
    System.arraycopy(raw, 0, message, 8, 16);
    rechecksum(message, SOURCE_V6, GROUP_V6);

    Decoded decoded =
        VrrpCodec.decode(message, SOURCE_V6, GROUP_V6, 255, ChecksumMode.PSEUDO_HEADER);

    assertThat(decoded).isInstanceOf(Decoded.Ok.class);
    VrrpAdvert advert = ((Decoded.Ok) decoded).advert();
    assertThat(advert.addresses().getFirst()).isInstanceOf(Inet6Address.class);
    assertThat(VrrpCodec.encode(advert, SOURCE_V6, GROUP_V6, ChecksumMode.PSEUDO_HEADER))
        .isEqualTo(message);
  }

  /** A received packet, its arrival and the reason it must be dropped: one row per reason. */
  record DropCase(
      DropReason reason,
      byte[] message,
      InetAddress source,
      InetAddress destination,
      int ttl,
      ChecksumMode mode) {
    @Override
    public String toString() {
      return reason.name();
    }
  }

  static DropCase v4Case(DropReason reason, Function<byte[], byte[]> mutate) {
    return new DropCase(
        reason, mutate.apply(validV4()), SOURCE_V4, GROUP_V4, 255, ChecksumMode.PSEUDO_HEADER);
  }

  static Stream<DropCase> dropCases() {
    return Stream.of(
        new DropCase(
            DropReason.BAD_TTL, validV4(), SOURCE_V4, GROUP_V4, 254, ChecksumMode.PSEUDO_HEADER),
        new DropCase(
            DropReason.BAD_TTL, validV6(), SOURCE_V6, GROUP_V6, 1, ChecksumMode.PSEUDO_HEADER),
        v4Case(DropReason.TOO_SHORT, m -> Arrays.copyOf(m, 7)),
        v4Case(DropReason.TOO_SHORT, m -> new byte[0]),
        v4Case(DropReason.BAD_VERSION, m -> set(m, 0, 0x21)), // a VRRPv2 advert
        v4Case(DropReason.BAD_TYPE, m -> set(m, 0, 0x32)),
        v4Case(DropReason.BAD_VRID, m -> set(m, 1, 0)),
        new DropCase(
            DropReason.ADDRESS_FAMILY_MISMATCH,
            validV4(),
            SOURCE_V4,
            GROUP_V6,
            255,
            ChecksumMode.PSEUDO_HEADER),
        new DropCase(
            DropReason.ADDRESS_FAMILY_MISMATCH,
            validV6(),
            SOURCE_V4,
            GROUP_V4,
            255,
            ChecksumMode.PSEUDO_HEADER),
        new DropCase(
            DropReason.ADDRESS_FAMILY_MISMATCH,
            validV4(),
            null,
            GROUP_V4,
            255,
            ChecksumMode.PSEUDO_HEADER),
        v4Case(DropReason.TRUNCATED, m -> set(m, 3, 2)), // announces 2 addresses, holds 1
        v4Case(DropReason.TRUNCATED, m -> Arrays.copyOf(m, 10)),
        v4Case(DropReason.ADDRESS_COUNT_MISMATCH, m -> Arrays.copyOf(m, 13)),
        v4Case(DropReason.ADDRESS_COUNT_MISMATCH, m -> set(m, 3, 0)), // announces 0, holds 1
        v4Case(DropReason.BAD_CHECKSUM, m -> set(m, 7, m[7] ^ 1)),
        v4Case(DropReason.BAD_CHECKSUM, m -> set(m, 11, m[11] ^ 0x10)), // damaged address
        new DropCase(
            DropReason.BAD_CHECKSUM,
            validV4(),
            SOURCE_V4,
            Fixture.address("198.18.0.9"), // pseudo-header with another destination
            255,
            ChecksumMode.PSEUDO_HEADER),
        new DropCase(
            DropReason.CHECKSUM_MODE_MISMATCH,
            validV4(),
            SOURCE_V4,
            GROUP_V4,
            255,
            ChecksumMode.VRRP_ONLY),
        new DropCase(
            DropReason.CHECKSUM_MODE_MISMATCH,
            VrrpCodec.encode(
                new VrrpAdvert(51, 100, 100, List.of(VIP)),
                SOURCE_V4,
                GROUP_V4,
                ChecksumMode.VRRP_ONLY),
            SOURCE_V4,
            GROUP_V4,
            255,
            ChecksumMode.PSEUDO_HEADER),
        v4Case(
            DropReason.BAD_INTERVAL, m -> rechecksum(set(set(m, 4, 0), 5, 0), SOURCE_V4, GROUP_V4)),
        new DropCase(
            DropReason.BAD_INTERVAL,
            rechecksum(set(set(validV6(), 4, 0xf0), 5, 0), SOURCE_V6, GROUP_V6),
            SOURCE_V6,
            GROUP_V6,
            255,
            ChecksumMode.PSEUDO_HEADER),
        new DropCase(
            DropReason.BAD_CHECKSUM,
            set(validV6(), 6, 0),
            SOURCE_V6,
            GROUP_V6,
            255,
            ChecksumMode.VRRP_ONLY));
  }

  private static byte[] set(byte[] message, int index, int value) {
    message[index] = (byte) value;
    return message;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dropCases")
  void dropsWithTheNamedReason(DropCase c) {
    Decoded decoded = VrrpCodec.decode(c.message(), c.source(), c.destination(), c.ttl(), c.mode());

    assertThat(decoded)
        .isInstanceOfSatisfying(
            Decoded.Dropped.class,
            d -> {
              assertThat(d.reason()).isEqualTo(c.reason());
              assertThat(d.detail()).isNotBlank();
            });
  }

  @Test
  void everyCodecDropReasonHasACase() {
    Set<DropReason> covered =
        dropCases()
            .map(DropCase::reason)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(DropReason.class)));
    Set<DropReason> receiverOnly =
        EnumSet.of(
            DropReason.UNKNOWN_VRID,
            DropReason.ADDRESS_OWNER,
            DropReason.NOT_A_PEER,
            DropReason.ADDRESS_LIST_MISMATCH);
    // The auth_hmac reasons come from AdvertVerifier (AuthTrailerTest), not the codec.
    for (DropReason r : DropReason.values()) {
      if (r.authentication()) {
        receiverOnly.add(r);
      }
    }

    assertThat(covered).isEqualTo(EnumSet.complementOf(EnumSet.copyOf(receiverOnly)));
  }

  @ParameterizedTest
  @EnumSource(DropReason.class)
  void everyReasonDescribesItself(DropReason reason) {
    assertThat(reason.description()).isNotBlank().doesNotContain("TODO");
  }

  @Test
  void ttlIsCheckedBeforeAnythingElse() {
    Decoded decoded = VrrpCodec.decode(new byte[0], null, null, 64, ChecksumMode.PSEUDO_HEADER);

    assertThat(((Decoded.Dropped) decoded).reason()).isEqualTo(DropReason.BAD_TTL);
  }

  @Test
  void impossibleByteRangesAreDroppedNotThrown() {
    byte[] message = validV4();
    for (int[] range : new int[][] {{-1, 12}, {0, -1}, {1, 12}, {13, 0}, {Integer.MAX_VALUE, 12}}) {
      assertThat(
              VrrpCodec.decode(
                  message,
                  range[0],
                  range[1],
                  SOURCE_V4,
                  GROUP_V4,
                  255,
                  ChecksumMode.PSEUDO_HEADER))
          .as("offset %d length %d", range[0], range[1])
          .isInstanceOfSatisfying(
              Decoded.Dropped.class, d -> assertThat(d.reason()).isEqualTo(DropReason.TOO_SHORT));
    }
    assertThat(VrrpCodec.decode(null, SOURCE_V4, GROUP_V4, 255, ChecksumMode.PSEUDO_HEADER))
        .isInstanceOf(Decoded.Dropped.class);
  }

  @Test
  void everyTruncationIsDropped() {
    List<Object[]> messages =
        List.of(
            new Object[] {validV4(), SOURCE_V4, GROUP_V4},
            new Object[] {validV6(), SOURCE_V6, GROUP_V6},
            new Object[] {
              VrrpCodec.encode(
                  new VrrpAdvert(3, 9, 9, v4Addresses(40)),
                  SOURCE_V4,
                  GROUP_V4,
                  ChecksumMode.VRRP_ONLY),
              SOURCE_V4,
              GROUP_V4
            },
            new Object[] {
              VrrpCodec.encode(
                  new VrrpAdvert(3, 9, 9, v6Addresses(40)),
                  SOURCE_V6,
                  GROUP_V6,
                  ChecksumMode.VRRP_ONLY),
              SOURCE_V6,
              GROUP_V6
            });
    for (Object[] row : messages) {
      byte[] message = (byte[]) row[0];
      InetAddress source = (InetAddress) row[1];
      InetAddress destination = (InetAddress) row[2];
      for (int length = 0; length < message.length; length++) {
        Decoded decoded =
            VrrpCodec.decode(message, 0, length, source, destination, 255, ChecksumMode.VRRP_ONLY);

        // A cut IPv6 message can look like IPv4 addresses: count × 4 bytes.
        assertThat(decoded)
            .as("length %d of %d", length, message.length)
            .isInstanceOfSatisfying(
                Decoded.Dropped.class,
                d ->
                    assertThat(d.reason())
                        .isIn(
                            DropReason.TOO_SHORT,
                            DropReason.TRUNCATED,
                            DropReason.ADDRESS_FAMILY_MISMATCH));
      }
    }
  }

  @Test
  void randomInputsNeverThrow() {
    Random random = new Random(0x7a6b_0001L);
    InetAddress[][] endpoints = {
      {SOURCE_V4, GROUP_V4}, {SOURCE_V6, GROUP_V6}, {SOURCE_V4, GROUP_V6}, {null, GROUP_V4}
    };
    int ok = 0;
    for (int i = 0; i < 5000; i++) {
      byte[] bytes = new byte[random.nextInt(80)];
      random.nextBytes(bytes);
      if (bytes.length > 0 && random.nextBoolean()) {
        bytes[0] = 0x31; // get past the version and type checks more often
      }
      if (bytes.length > 3 && random.nextBoolean()) {
        bytes[3] = (byte) random.nextInt(5);
      }
      InetAddress[] endpoint = endpoints[random.nextInt(endpoints.length)];
      int ttl = random.nextInt(8) == 0 ? random.nextInt(256) : 255;
      ChecksumMode mode = ChecksumMode.values()[random.nextInt(2)];
      int offset = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
      int length = bytes.length - offset;

      Decoded[] decoded = new Decoded[1];
      assertThatCode(
              () ->
                  decoded[0] =
                      VrrpCodec.decode(bytes, offset, length, endpoint[0], endpoint[1], ttl, mode))
          .as("input %s", HEX.formatHex(bytes))
          .doesNotThrowAnyException();
      assertThat(decoded[0]).isNotNull();
      if (decoded[0] instanceof Decoded.Ok(VrrpAdvert advert)) {
        ok++;
        assertThat(
                VrrpCodec.decode(
                    VrrpCodec.encode(advert, endpoint[0], endpoint[1], mode),
                    endpoint[0],
                    endpoint[1],
                    255,
                    mode))
            .isEqualTo(decoded[0]);
      }
    }
    assertThat(ok).isLessThan(5000);
  }

  @Test
  void mutatedValidPacketsNeverThrowAndAreMostlyRejected() {
    Random random = new Random(0x7a6b_0002L);
    int rejected = 0;
    for (int i = 0; i < 5000; i++) {
      boolean ipv6 = random.nextBoolean();
      byte[] message = ipv6 ? validV6() : validV4();
      int flips = 1 + random.nextInt(3);
      for (int f = 0; f < flips; f++) {
        message[random.nextInt(message.length)] ^= (byte) (1 << random.nextInt(8));
      }
      Decoded decoded =
          VrrpCodec.decode(
              message,
              ipv6 ? SOURCE_V6 : SOURCE_V4,
              ipv6 ? GROUP_V6 : GROUP_V4,
              255,
              ChecksumMode.PSEUDO_HEADER);
      if (decoded instanceof Decoded.Dropped) {
        rejected++;
      }
    }
    // Single bit flips are always caught by the checksum (or an earlier check); only flips in the
    // ignored reserved bits, or compensating flips, can pass.
    assertThat(rejected).isGreaterThan(4500);
  }

  @Test
  void advertRejectsValuesOutsideTheRfcRanges() {
    List<InetAddress> one = List.of(VIP);
    assertThatThrownBy(() -> new VrrpAdvert(0, 100, 100, one)).hasMessageContaining("vrid");
    assertThatThrownBy(() -> new VrrpAdvert(256, 100, 100, one)).hasMessageContaining("vrid");
    assertThatThrownBy(() -> new VrrpAdvert(1, -1, 100, one)).hasMessageContaining("priority");
    assertThatThrownBy(() -> new VrrpAdvert(1, 256, 100, one)).hasMessageContaining("priority");
    assertThatThrownBy(() -> new VrrpAdvert(1, 1, 4096, one))
        .hasMessageContaining("maxAdverInterval");
    assertThatThrownBy(() -> new VrrpAdvert(1, 1, -1, one))
        .hasMessageContaining("maxAdverInterval");
    assertThatThrownBy(() -> new VrrpAdvert(1, 1, 1, v4Addresses(256))).hasMessageContaining("255");
    assertThatThrownBy(() -> new VrrpAdvert(1, 1, 1, List.of(VIP, VIP_V6)))
        .hasMessageContaining("mix");
    assertThatThrownBy(() -> new VrrpAdvert(4, 1, 1, 1, 1, one)).hasMessageContaining("version");
    assertThatThrownBy(() -> new VrrpAdvert(2, 1, 1, 1, 1, one)).hasMessageContaining("VRRPv2");
    assertThatThrownBy(() -> new VrrpAdvert(3, 2, 1, 1, 1, one)).hasMessageContaining("type");
  }

  /**
   * A name-only group behind routers (accept-ttl): its range is accepted, anything outside it is
   * BAD_TTL as before; without a range (every other group) only 255 passes. The advert carries the
   * sender's own unicast address, as a name-only group sends it.
   */
  @Test
  void aTtlRangeAcceptsRoutedAdvertsAndNothingOutsideIt() {
    InetAddress peer = Fixture.address("198.18.1.2");
    InetAddress self = Fixture.address("198.18.0.1");
    byte[] m =
        VrrpCodec.encode(
            new VrrpAdvert(51, 100, 100, List.of(peer)), peer, self, ChecksumMode.PSEUDO_HEADER);
    TtlRange routed = new TtlRange(250, 255);
    for (int ttl : new int[] {250, 254, 255}) {
      assertThat(
              VrrpCodec.decode(
                  m,
                  0,
                  m.length,
                  0,
                  peer,
                  self,
                  ttl,
                  routed,
                  WireFormat.v3(ChecksumMode.PSEUDO_HEADER)))
          .as("TTL %d in %s", ttl, routed)
          .isInstanceOf(Decoded.Ok.class);
    }
    for (int ttl : new int[] {0, 1, 249}) {
      assertThat(
              VrrpCodec.decode(
                  m,
                  0,
                  m.length,
                  0,
                  peer,
                  self,
                  ttl,
                  routed,
                  WireFormat.v3(ChecksumMode.PSEUDO_HEADER)))
          .isInstanceOfSatisfying(
              Decoded.Dropped.class,
              d -> {
                assertThat(d.reason()).isEqualTo(DropReason.BAD_TTL);
                assertThat(d.detail()).contains("need 250-255");
              });
    }
    // Every other group: the RFC's 255, by default and through STRICT alike.
    assertThat(VrrpCodec.decode(m, peer, self, 254, ChecksumMode.PSEUDO_HEADER))
        .isInstanceOf(Decoded.Dropped.class);
    assertThat(
            VrrpCodec.decode(
                m,
                0,
                m.length,
                0,
                peer,
                self,
                254,
                TtlRange.STRICT,
                WireFormat.v3(ChecksumMode.PSEUDO_HEADER)))
        .isInstanceOf(Decoded.Dropped.class);
    assertThat(
            VrrpCodec.decode(
                m,
                0,
                m.length,
                0,
                peer,
                self,
                254,
                null,
                WireFormat.v3(ChecksumMode.PSEUDO_HEADER)))
        .as("no range is the RFC's rule, never a pass")
        .isInstanceOf(Decoded.Dropped.class);
    assertThat(TtlRange.STRICT.strict()).isTrue();
    assertThat(routed.strict()).isFalse();
    assertThat(routed).hasToString("250-255");
    assertThatThrownBy(() -> new TtlRange(0, 255)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TtlRange(255, 254)).isInstanceOf(IllegalArgumentException.class);
  }
}
