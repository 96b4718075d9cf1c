package dev.takeover.dnsupdate;

import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * One RRset we keep: its owner name, type and the zone its updates go to.
 *
 * @param compareAndSwap whether updates carry the prerequisite "holds what we last saw" (the
 *     forward name, which several nodes write); a PTR for one of our own addresses is ours alone
 *     and is simply replaced
 */
public record RecordKey(Name owner, int type, Name zone, int ttl, boolean compareAndSwap) {

  /** {@code www.example.test./A}: the key in the queue file, logs and status. */
  public String id() {
    return owner + "/" + Type.string(type);
  }
}
