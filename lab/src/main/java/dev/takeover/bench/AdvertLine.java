package dev.takeover.bench;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One VRRP advert as {@code tcpdump -tt -n -l ip proto 112} prints it:
 *
 * <pre>1732350000.123456 IP 198.18.0.1 &gt; 224.0.0.18: VRRPv3, Advertisement, vrid 51, prio 200,
 * intvl 1cs, length 12</pre>
 *
 * @param epochMicros the kernel's receive timestamp (wall clock), in microseconds
 */
public record AdvertLine(long epochMicros, String source, int vrid, int priority) {
  private static final Pattern LINE =
      Pattern.compile(
          "^(\\d+)\\.(\\d{6}) IP (\\S+) > \\S+: VRRPv\\d, Advertisement, vrid (\\d+), prio (\\d+).*");

  public static Optional<AdvertLine> parse(String line) {
    Matcher m = LINE.matcher(line.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new AdvertLine(
            Long.parseLong(m.group(1)) * 1_000_000 + Long.parseLong(m.group(2)),
            m.group(3),
            Integer.parseInt(m.group(4)),
            Integer.parseInt(m.group(5))));
  }
}
