package dev.takeover.vrrp;

import java.net.InetAddress;
import java.util.Objects;

/**
 * The sender of the latest advertisement a backup heard: the master as this router sees it.
 *
 * @param address the advert's source, the master's primary address
 * @param priority the advertised priority; 0 when that master announced it is leaving
 */
public record ObservedMaster(InetAddress address, int priority) {
  public ObservedMaster {
    Objects.requireNonNull(address, "address");
  }
}
