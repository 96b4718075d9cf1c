package dev.takeover.engine;

import dev.takeover.platform.NetlinkEvent;
import java.net.InetAddress;

/** What reaches the engine thread from sockets, netlink and the operator. */
public sealed interface Event {

  /** A VRRP advertisement that passed the codec's checks, for one group. */
  record AdvertReceived(
      int group, InetAddress source, int priority, int maxAdverIntervalCentis, long receivedAt)
      implements Event {}

  /** A link or address change the kernel reported. */
  record Kernel(NetlinkEvent event) implements Event {}

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
}
