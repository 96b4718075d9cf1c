package dev.takeover.vrrp;

import java.util.Objects;

/**
 * Why a group's priority is adjusted or why it is in FAULT: typed, so the policy can tell its own
 * causes (maintenance, move) from the world's, and the human text for logs, the journal and {@code
 * takeover status} is derived in one place ({@link #text()}), which is also the key the {@link
 * VrrpMachine} files the adjustment or fault under.
 */
public sealed interface PriorityCause {

  /** How logs, the journal and {@code status} name this cause, e.g. {@code "check web down"}. */
  String text();

  /** The group's own link is down: always a fault (keepalived's FAULT). */
  record LinkDown(String interfaceName) implements PriorityCause {
    public LinkDown {
      Objects.requireNonNull(interfaceName, "interfaceName");
    }

    @Override
    public String text() {
      return "link " + interfaceName + " down";
    }
  }

  /** A tracked link (not the group's own) is down. */
  record TrackedLink(String interfaceName) implements PriorityCause {
    public TrackedLink {
      Objects.requireNonNull(interfaceName, "interfaceName");
    }

    @Override
    public String text() {
      return "tracked link " + interfaceName + " down";
    }
  }

  /** A health check is down (or has not yet passed {@code rise} times). */
  record Check(String name) implements PriorityCause {
    public Check {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String text() {
      return "check " + name + " down";
    }
  }

  /**
   * A tracked file's value (keepalived's {@code track_file}) lowers, raises or faults the group.
   */
  record TrackFile(String path) implements PriorityCause {
    public TrackFile {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String text() {
      return "track file " + path;
    }
  }

  /** The operator put the node in maintenance. */
  record Maintenance() implements PriorityCause {
    @Override
    public String text() {
      return "maintenance";
    }
  }

  /** The operator moved the group ({@code takeover move}). */
  record Move() implements PriorityCause {
    @Override
    public String text() {
      return "move";
    }
  }

  /**
   * Another member of the group's sync group is in FAULT on its own account, so the whole set is
   * (keepalived's {@code vrrp_sync_group}); one cause per faulted member, so each clears alone.
   */
  record SyncGroup(String syncGroup, String member) implements PriorityCause {
    public SyncGroup {
      Objects.requireNonNull(syncGroup, "syncGroup");
      Objects.requireNonNull(member, "member");
    }

    @Override
    public String text() {
      return "sync group " + syncGroup + ": " + member + " in fault";
    }
  }
}
