package dev.takeover.effect;

import dev.takeover.clock.Clock;
import dev.takeover.platform.NativeException;
import dev.takeover.wire.AddressText;
import dev.takeover.wire.AdvertSigner;
import dev.takeover.wire.AuthTrailer;
import dev.takeover.wire.ChecksumMode;
import dev.takeover.wire.VrrpAdvert;
import dev.takeover.wire.VrrpCodec;
import dev.takeover.wire.WireFormat;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes and sends one group's advertisements: to the VRRP multicast group, or to each unicast
 * peer. Runs on the engine thread; the message buffer is reused so a steady master allocates
 * nothing per advert beyond the codec's work.
 *
 * <p>With auth_hmac ({@link AdvertSigner}, given only when the group's mode signs) each advert gets
 * a fresh 28-byte trailer after the message: signed once per advert, with this node's UTC clock
 * (the draft's sequence is wall time), and the same trailer goes to every unicast peer, since the
 * HMAC covers neither the destination nor the checksum (keepalived 2.4.3 does the same).
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
  private final WireFormat wireFormat;
  private final Transport transport;
  private final RateLimitedLog failures;
  private final Clock clock;
  private final Optional<AdvertSigner> signer;
  private final byte[] trailer = new byte[AuthTrailer.LENGTH];
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
    this(
        group,
        vrid,
        adverIntervalCentis,
        addresses,
        source,
        destinations,
        checksumMode,
        transport,
        clock,
        Optional.empty());
  }

  /** A sender that signs every advert with {@code signer} (auth_hmac), if present. */
  public AdvertSender(
      String group,
      int vrid,
      int adverIntervalCentis,
      List<InetAddress> addresses,
      InetAddress source,
      List<InetAddress> destinations,
      ChecksumMode checksumMode,
      Transport transport,
      Clock clock,
      Optional<AdvertSigner> signer) {
    this(
        group,
        vrid,
        adverIntervalCentis,
        addresses,
        source,
        destinations,
        WireFormat.v3(checksumMode),
        transport,
        clock,
        signer);
  }

  /**
   * A sender of adverts in {@code wireFormat} (VRRPv2 or VRRPv3), signed with {@code signer}
   * (auth_hmac, VRRPv3 only), if present.
   */
  public AdvertSender(
      String group,
      int vrid,
      int adverIntervalCentis,
      List<InetAddress> addresses,
      InetAddress source,
      List<InetAddress> destinations,
      WireFormat wireFormat,
      Transport transport,
      Clock clock,
      Optional<AdvertSigner> signer) {
    this.group = group;
    this.vrid = vrid;
    this.adverIntervalCentis = adverIntervalCentis;
    this.addresses = List.copyOf(addresses);
    this.source = source;
    this.destinations = List.copyOf(destinations);
    this.wireFormat = wireFormat;
    this.transport = transport;
    this.failures = new RateLimitedLog(log, 10, TimeUnit.SECONDS, clock);
    this.clock = clock;
    this.signer = signer;
  }

  // Identity is enough for the cache: the destinations are this sender's own list.
  @SuppressWarnings("ReferenceEquality")
  public void send(int priority) {
    boolean signed = false;
    for (InetAddress destination : destinations) {
      // The checksum covers the destination (pseudo-header), so re-encode only when it or the
      // priority changed; a steady master with one destination encodes once.
      if (priority != cachedPriority || destination != cachedDestination) {
        cachedLength =
            VrrpCodec.encodeInto(
                new VrrpAdvert(
                    wireFormat.version(), 1, vrid, priority, adverIntervalCentis, addresses),
                source,
                destination,
                wireFormat,
                buffer);
        cachedPriority = priority;
        cachedDestination = destination;
      }
      int length = cachedLength;
      if (signer.isPresent()) {
        if (!signed) {
          Instant now = clock.instant();
          signer
              .get()
              .sign(
                  buffer,
                  0,
                  cachedLength,
                  vrid,
                  source,
                  now.getEpochSecond(),
                  now.getNano(),
                  trailer,
                  0);
          signed = true;
        }
        System.arraycopy(trailer, 0, buffer, cachedLength, AuthTrailer.LENGTH);
        length += AuthTrailer.LENGTH;
      }
      try {
        transport.send(buffer, length, destination);
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
