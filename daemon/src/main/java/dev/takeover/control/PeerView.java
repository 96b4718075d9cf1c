package dev.takeover.control;

/**
 * Another router heard on a group.
 *
 * @param address its source address as text
 * @param priority the priority in its last advertisement (0 means it is leaving)
 * @param lastHeardMillisAgo milliseconds since its last advertisement
 * @param state what this node believes it is: "MASTER" while it advertises, otherwise e.g. "BACKUP"
 *     or "SILENT"
 * @param node its name as the configuration's list of the cluster's nodes gives it, or null
 */
public record PeerView(
    String address, int priority, long lastHeardMillisAgo, String state, String node) {

  /** A peer the configuration does not name. */
  public PeerView(String address, int priority, long lastHeardMillisAgo, String state) {
    this(address, priority, lastHeardMillisAgo, state, null);
  }
}
