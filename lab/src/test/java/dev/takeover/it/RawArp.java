package dev.takeover.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.takeover.lab.Lab;
import dev.takeover.platform.Netns;
import dev.takeover.platform.PacketSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.HexFormat;

/**
 * Sends hand-made gratuitous ARPs from a lab host, as a peer or a stranger would (issue 9: a
 * keepalived peer's delayed second burst, a host announcing our address). The test's own JVM opens
 * an {@code AF_PACKET} socket in the host's namespace through the daemon's platform classes, so no
 * extra tool is needed.
 */
final class RawArp {
  private RawArp() {}

  /**
   * Sends {@code count} gratuitous ARPs for {@code address} from {@code host}'s eth0, with {@code
   * mac} as sender (the host's own MAC for a peer's burst), back to back as keepalived sends its
   * burst.
   *
   * @return {@link System#nanoTime()} just before the first frame went out
   */
  static long announce(Lab lab, String host, String mac, String address, int count) {
    int ifindex = ifindex(lab, host);
    byte[] frame = gratuitousArp(HexFormat.of().parseHex(mac.replace(":", "")), address);
    return Netns.call(
        lab.nsName(host),
        () -> {
          try (PacketSocket socket = PacketSocket.open()) {
            long first = System.nanoTime();
            for (int i = 0; i < count; i++) {
              socket.send(ifindex, frame, frame.length);
            }
            return first;
          }
        });
  }

  /** Broadcast ARP request with sender and target IP {@code address}, padded to 60 bytes. */
  static byte[] gratuitousArp(byte[] mac, String address) {
    byte[] ip = InetAddress.ofLiteral(address).getAddress();
    byte[] f = new byte[60];
    java.util.Arrays.fill(f, 0, 6, (byte) 0xff); // to everyone
    System.arraycopy(mac, 0, f, 6, 6);
    f[12] = 0x08; // ARP
    f[13] = 0x06;
    f[15] = 1; // Ethernet
    f[16] = 0x08; // IPv4
    f[18] = 6;
    f[19] = 4;
    f[21] = 1; // request
    System.arraycopy(mac, 0, f, 22, 6);
    System.arraycopy(ip, 0, f, 28, 4);
    System.arraycopy(ip, 0, f, 38, 4); // target MAC (32..37) stays zero
    return f;
  }

  private static int ifindex(Lab lab, String host) {
    try {
      String json = lab.exec(host, "ip", "-j", "link", "show", Lab.INTERFACE);
      return new ObjectMapper().readTree(json).path(0).path("ifindex").asInt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
