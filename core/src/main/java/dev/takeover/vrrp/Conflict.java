package dev.takeover.vrrp;

import java.util.Objects;

/**
 * Something that makes a group's addresses unsafe: another host using one of them, or another
 * router acting as master of the group where only one may. Shown by status while active and
 * recorded once when it starts.
 *
 * @param kind what was seen
 * @param subject who: the other router's address, or {@code "<address> <MAC>"} for an address in
 *     use; together with {@code kind} it names the conflict
 * @param detail one human phrase: what exactly was seen and what the group does about it
 * @param since when it was first seen in this episode (monotonic nanoseconds)
 * @param lastSeen when it was last seen
 */
public record Conflict(
    ConflictKind kind, String subject, String detail, long since, long lastSeen) {
  public Conflict {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(detail, "detail");
  }

  /** What kind of conflict, with the stable name scripts and the journal use. */
  public enum ConflictKind {
    /**
     * RFC 5227: another host (a MAC that is not one of the group's VRRP peers) answers or announces
     * one of the group's addresses.
     */
    ADDRESS_IN_USE("address-in-use", "address in use by another host"),
    /**
     * While master, adverts for the group's VRID are dropped for version, checksum mode, address
     * list or authentication: a router this node cannot hear properly is master too.
     */
    UNREADABLE_MASTER("unreadable-master", "another router is master but its adverts are dropped"),
    /** Unicast peers are configured and a source that is not one of them advertises as master. */
    ROGUE_MASTER("rogue-master", "a source that is not a configured peer advertises as master"),
    /** Another address owner (priority 255) advertises the group this node owns. */
    DUAL_OWNER("dual-owner", "two address owners (priority 255)"),
    /** While master, another router keeps advertising at our priority. */
    DUAL_MASTER("dual-master", "two masters of equal priority"),
    /**
     * A peer reports over the node links that it is master of a group this node is master of: both
     * hold the addresses (docs/LINKS.md).
     */
    LINK_DUAL_MASTER("link-dual-master", "a peer reports master over the node links"),
    /**
     * The guard kept this backup from claiming: Master_Down_Timer fired, but the master is
     * reachable over the node links and reports itself master, so the VRRP path is broken, not the
     * master (docs/LINKS.md).
     */
    VIP_PATH_FAULT("vip-path-fault", "adverts lost, but the master is alive over the node links");

    private final String wireName;
    private final String text;

    ConflictKind(String wireName, String text) {
      this.wireName = wireName;
      this.text = text;
    }

    /** The stable name, e.g. {@code dual-owner}. */
    public String wireName() {
      return wireName;
    }

    /** A short human description. */
    public String text() {
      return text;
    }
  }
}
