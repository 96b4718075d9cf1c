package dev.takeover.effect;

import dev.takeover.clock.Clock;
import dev.takeover.platform.NativeException;
import dev.takeover.wire.AddressText;
import dev.takeover.wire.ChecksumMode;
import dev.takeover.wire.VrrpAdvert;
import dev.takeover.wire.VrrpCodec;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes and sends one group's advertisements: to the VRRP multicast group, or to each unicast
 * peer. Runs on the engine thread; the message buffer is reused so a steady master allocates
 * nothing per advert beyond the codec's work.
 */
public final class AdvertSender {
  private static final Logger log = LoggerFactory.getLogger("takeover.packets");

  /** Sends one VRRP message (the IP payload) to one destination. */
  public interface Transport {
    void send(byte[] message, int length, InetAddress destination);
  }

  private final String group;
  private final int vrid;
  private int adverIntervalCentis;
  private final List<InetAddress> addresses;
  private final InetAddress source;
  private final List<InetAddress> destinations;
  private final ChecksumMode checksumMode;
  private final Transport transport;
  private final RateLimitedLog failures;
  private final byte[] buffer = new byte[1500];
  private int cachedPriority = -1;
  private int cachedLength;
  private InetAddress cachedDestination;
  private long sent;

  public AdvertSender(
      String group,
      int vrid,
      int adverIntervalCentis,
      List<InetAddress> addresses,
      InetAddress source,
      List<InetAddress> destinations,
      ChecksumMode checksumMode,
      Transport transport,
      Clock clock) {
    this.group = group;
    this.vrid = vrid;
    this.adverIntervalCentis = adverIntervalCentis;
    this.addresses = List.copyOf(addresses);
    this.source = source;
    this.destinations = List.copyOf(destinations);
    this.checksumMode = checksumMode;
    this.transport = transport;
    this.failures = new RateLimitedLog(log, 10, TimeUnit.SECONDS, clock);
  }

  // Identity is enough for the cache: the destinations are this sender's own list.
  @SuppressWarnings("ReferenceEquality")
  public void send(int priority) {
    for (InetAddress destination : destinations) {
      // The checksum covers the destination (pseudo-header), so re-encode only when it or the
      // priority changed; a steady master with one destination encodes once.
      if (priority != cachedPriority || destination != cachedDestination) {
        cachedLength =
            VrrpCodec.encodeInto(
                new VrrpAdvert(3, 1, vrid, priority, adverIntervalCentis, addresses),
                source,
                destination,
                checksumMode,
                buffer);
        cachedPriority = priority;
        cachedDestination = destination;
      }
      try {
        transport.send(buffer, cachedLength, destination);
        sent++;
        if (log.isDebugEnabled()) {
          log.debug(
              "{} advert sent to {}, priority {}", group, AddressText.of(destination), priority);
        }
      } catch (NativeException e) {
        failures.warn(
            e.call(),
            "{} advert to {} not sent: {}",
            group,
            AddressText.of(destination),
            e.getMessage());
      }
    }
  }

  /**
   * The Max Adver Int of the adverts from now on (a reload changed the group's advert interval);
   * the policy then asks for an advert at once, which carries it.
   */
  public void setAdverIntervalCentis(int centis) {
    if (centis != adverIntervalCentis) {
      adverIntervalCentis = centis;
      cachedPriority = -1; // re-encode
    }
  }

  public long sent() {
    return sent;
  }
}
