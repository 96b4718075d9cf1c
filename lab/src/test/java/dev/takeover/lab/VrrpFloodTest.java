package dev.takeover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.wire.ChecksumMode;
import dev.takeover.wire.Decoded;
import dev.takeover.wire.InternetChecksum;
import dev.takeover.wire.VrrpCodec;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The flood's frames are adverts the daemon's own decoder accepts, each from its own source. */
class VrrpFloodTest {
  private static final byte[] MAC = {2, 0, 0, 0, 0, 1};

  @Test
  void ipv4FramesAreValidAdvertsFromDistinctSourcesInTheBenchmarkingBlock() throws Exception {
    VrrpFlood flood = new VrrpFlood(MAC, 51, 1, 10, List.of(InetAddress.getByName("198.18.0.50")));
    assertThat(flood.length()).isEqualTo(14 + 20 + 12);
    Set<String> seen = new HashSet<>();
    for (int i : new int[] {0, 1, 255, 256, 65535, VrrpFlood.IPV4_SOURCES - 1}) {
      byte[] frame = flood.frame(i);
      assertThat(Arrays.copyOfRange(frame, 0, 6)).containsExactly(1, 0, 0x5e, 0, 0, 0x12);
      assertThat(InternetChecksum.verifies(InternetChecksum.add(0, frame, 14, 20))).isTrue();
      InetAddress source = InetAddress.getByAddress(Arrays.copyOfRange(frame, 26, 30));
      assertThat(source.getHostAddress()).matches("198\\.1[89]\\..*").doesNotStartWith("198.18.0.");
      assertThat(seen.add(source.getHostAddress())).isTrue();
      Decoded d =
          VrrpCodec.decode(
              frame,
              34,
              12,
              source,
              InetAddress.getByName("224.0.0.18"),
              frame[22] & 0xff,
              ChecksumMode.PSEUDO_HEADER);
      assertThat(d).isInstanceOf(Decoded.Ok.class);
      assertThat(((Decoded.Ok) d).advert().priority()).isEqualTo(1);
    }
    assertThat(flood.source(VrrpFlood.IPV4_SOURCES)).containsExactly(flood.source(0));
  }

  @Test
  void ipv6FramesAreValidAdvertsFromTheDocumentationBlock() throws Exception {
    VrrpFlood flood = new VrrpFlood(MAC, 51, 1, 10, List.of(InetAddress.getByName("2001:db8::50")));
    byte[] frame = flood.frame(299_999);
    assertThat(Arrays.copyOfRange(frame, 0, 6)).containsExactly(0x33, 0x33, 0, 0, 0, 0x12);
    InetAddress source = InetAddress.getByAddress(Arrays.copyOfRange(frame, 22, 38));
    assertThat(source).isEqualTo(InetAddress.getByName("2001:db8:f::4:93df"));
    Decoded d =
        VrrpCodec.decode(
            frame,
            54,
            24,
            source,
            InetAddress.getByName("ff02::12"),
            frame[21] & 0xff,
            ChecksumMode.PSEUDO_HEADER);
    assertThat(d).isInstanceOf(Decoded.Ok.class);
  }
}
