package dev.takeover.vrrp;

import java.net.InetAddress;
import java.util.Optional;

/**
 * A move adjustment that outlived its handover because clearing it would make a preemption due (RFC
 * 5798 §6.4.2: a backup with preempt takes over from a master of lower priority), shown by {@code
 * takeover status} until {@code takeover move GROUP --clear}.
 *
 * @param away true when this node moved away and is held below the master; false when it moved here
 *     and is held above the node it took over from
 * @param heldAt the effective priority now
 * @param withoutMove the priority this node would have without the move
 * @param other the master (away) or the node taken over from (here), when known
 * @param otherPriority that node's priority as last heard
 */
public record MoveHold(
    boolean away, int heldAt, int withoutMove, Optional<InetAddress> other, int otherPriority) {}
