package dev.takeover.links;

/** Why a node-link packet was dropped; each is counted and shown by {@code status}. */
public enum LinkDropReason {
  TRUNCATED("shorter than its header, names and HMAC say"),
  BAD_MAGIC("not a Takeover node-link packet"),
  BAD_VERSION("unknown node-link version"),
  MALFORMED("a field out of range (kind, name, group state)"),
  BAD_MAC("HMAC-SHA256 does not verify with the shared key"),
  UNKNOWN_NODE("the sender's name is not a configured node"),
  WRONG_PATH("the source address is not one of the sender's configured paths"),
  REPLAY("sequence already seen or older than the replay window"),
  SELF("our own node name");

  private final String description;

  LinkDropReason(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
