package dev.takeover.wire;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Addresses as operators read them in transition reasons: IPv4 dotted, IPv6 in the RFC 5952 form
 * ({@code 2001:db8::1}, not {@link InetAddress#getHostAddress}'s {@code 2001:db8:0:0:0:0:0:1}).
 * Never resolves names. The IPv6 scope is left out: a group lives on one interface anyway.
 */
public final class AddressText {

  private AddressText() {}

  /** A list as operators write it: {@code 198.19.1.2, 2001:db8::2}, no brackets, no slashes. */
  public static String list(List<? extends InetAddress> addresses) {
    StringBuilder text = new StringBuilder();
    for (InetAddress a : addresses) {
      if (!text.isEmpty()) {
        text.append(", ");
      }
      text.append(of(a));
    }
    return text.toString();
  }

  public static String of(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] bytes = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
    }
    // RFC 5952 §4.2: "::" replaces the longest run of two or more zero groups, the first if tied.
    int runStart = -1;
    int runLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > runLength) {
        runStart = i;
        runLength = j - i;
      }
      i = j;
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == runStart) {
        text.append("::");
        i += runLength - 1;
        continue;
      }
      if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      // RFC 5952 §4.1, §4.3: no leading zeros, lower case.
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }
}
