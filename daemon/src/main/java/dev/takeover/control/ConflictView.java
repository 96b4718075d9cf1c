package dev.takeover.control;

/**
 * A conflict of one group as the control socket reports it (issue 9 items 4, 5; issue 10 item 7).
 *
 * @param kind {@code address-in-use}, {@code unreadable-master}, {@code rogue-master}, {@code
 *     dual-owner} or {@code dual-master}
 * @param subject who: the other router's address, or {@code "<address> <MAC>"} for an address in
 *     use
 * @param detail one human phrase: what was seen and what the group does about it
 * @param sinceMillisAgo when this episode started
 * @param lastSeenMillisAgo when it was last seen (a conflict ends 10 s after that)
 */
public record ConflictView(
    String kind, String subject, String detail, long sinceMillisAgo, long lastSeenMillisAgo) {}
