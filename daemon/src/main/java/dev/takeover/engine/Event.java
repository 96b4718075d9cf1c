package dev.takeover.engine;

import dev.takeover.platform.NetlinkEvent;
import dev.takeover.wire.DropReason;
import dev.takeover.wire.MacAddress;
import java.net.InetAddress;

/** What reaches the engine thread from sockets, netlink and the operator. */
public sealed interface Event {

  /** A VRRP advertisement that passed the codec's checks, for one group. */
  record AdvertReceived(
      int group, InetAddress source, int priority, int maxAdverIntervalCentis, long receivedAt)
      implements Event {}

  /**
   * Seen on the link: another MAC than ours announced, answered for or used {@code address}, one of
   * the group's addresses (ARP, Neighbor Discovery).
   */
  record ForeignClaim(int group, InetAddress address, MacAddress mac, long receivedAt)
      implements Event {}

  /** Seen on the link: a valid VRRP advert for the group came from {@code mac}. */
  record PeerMac(int group, MacAddress mac) implements Event {}

  /**
   * An advert for the group's VRID that the intake dropped (or accepted with a complaint) for a
   * reason that tells something about who is master: version, checksum mode, address list, the
   * address owner's rule, the unicast peer list. {@code priority} is what it claims.
   */
  record RivalAdvert(
      int group, InetAddress source, DropReason reason, int priority, long receivedAt)
      implements Event {}

  /** A link or address change the kernel reported. */
  record Kernel(NetlinkEvent event) implements Event {}

  /** A tracked file of one group was read with a value other than the last one reported. */
  record TrackFileRead(int group, String path, long value) implements Event {}

  /** A health check of one group changed its verdict (after its rise/fall counts). */
  record CheckChanged(int group, String check, boolean up, String detail) implements Event {}

  /**
   * A before-claim hook of one group is done or out of budget: the claim of that epoch may go on.
   */
  record ClaimProceed(int group, long epoch) implements Event {}

  /** Run a task on the engine thread: how the control endpoint reads and steers group state. */
  record OnEngine(Runnable task) implements Event {}

  /** Leave every group gracefully (priority 0, release addresses) and stop. */
  record Shutdown() implements Event {}

  /**
   * An authenticated node-link packet (docs/LINKS.md) that came in to {@code local} from {@code
   * source}; the node, path and replay checks are the engine's ({@code links.NodeLinks}). {@code
   * previousKey}: it was authenticated with the key a reload replaced, during the rollover
   * (docs/DECISIONS.md: the node links' key rollover).
   */
  record LinkPacket(
      java.net.InetAddress local,
      java.net.InetAddress source,
      dev.takeover.links.Heartbeat heartbeat,
      long receivedAt,
      boolean previousKey)
      implements Event {
    public LinkPacket(
        java.net.InetAddress local,
        java.net.InetAddress source,
        dev.takeover.links.Heartbeat heartbeat,
        long receivedAt) {
      this(local, source, heartbeat, receivedAt, false);
    }
  }

  /**
   * The first ARP reply from a probed gateway after request {@code sequence} went out
   * (docs/LINKS.md, "Gateway probes"); {@code probe} indexes the node links' gateway probes.
   */
  record GatewayReply(int probe, long sequence, long receivedAt) implements Event {}
}
