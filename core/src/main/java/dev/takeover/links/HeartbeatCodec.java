package dev.takeover.links;

import dev.takeover.action.GroupState;
import dev.takeover.links.NodeSummary.GroupEntry;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The node-link packet: encode and decode, authenticated with HMAC-SHA256 over the whole packet.
 *
 * <pre>
 *  0  'T' 'K' 'O' 'L'  magic
 *  4  version (1)       kind (1: inquiry, 2: answer, 3: notice)
 *  6  name length n (1..64)   group count g (0..32)
 *  8  sequence (8, big-endian): the sender's, one counter over all its paths
 * 16  echo (8): an answer's inquiry sequence, else 0
 * 24  config hash (8)
 * 32  node name (n bytes, US-ASCII A-Z a-z 0-9 . _ -)
 *     g times: group name length m (1..32), name (m), VRID (1), state (1: 0 INITIALIZE,
 *              1 BACKUP, 2 MASTER, 3 FAULT), priority (1), flags (1: bit 0 maintenance)
 *  .  HMAC-SHA256 (32) over every byte before it
 * </pre>
 *
 * <p>Implementation notes: decoding is a sequence of named checks, each failure a {@link
 * LinkDropReason}; the structure is checked before the HMAC (so a truncated packet costs no hash)
 * and the HMAC compared in constant time. Encoding allocates nothing of its own: the summary's
 * bytes are cached while the same {@link NodeSummary} instance is sent again, and the HMAC goes
 * into the output buffer (the JDK's {@link Mac} allocates its few 32-byte digests inside, as for
 * auth_hmac adverts). Not thread-safe (one {@link Mac}); each thread uses its own codec.
 */
public final class HeartbeatCodec {
  public static final int VERSION = 1;
  public static final int HEADER = 32;
  public static final int HMAC_LENGTH = 32;
  public static final int MAX_NAME = 64;
  public static final int MAX_GROUP_NAME = 32;
  public static final int MAX_GROUPS = 32;

  /** The largest packet: fits a 1500-byte MTU with IPv6 and UDP headers to spare. */
  public static final int MAX_PACKET =
      HEADER + MAX_NAME + MAX_GROUPS * (1 + MAX_GROUP_NAME + 4) + HMAC_LENGTH;

  private static final byte[] MAGIC = {'T', 'K', 'O', 'L'};
  private static final GroupState[] STATES = {
    GroupState.INITIALIZE, GroupState.BACKUP, GroupState.MASTER, GroupState.FAULT
  };

  private final Mac mac;
  private final byte[] expected = new byte[HMAC_LENGTH];
  private final byte[] received = new byte[HMAC_LENGTH];
  private NodeSummary cachedSummary;
  private final byte[] cachedBody = new byte[MAX_PACKET];
  private int cachedLength;

  /** A codec with the shared key (at least 16 bytes; docs/LINKS.md says how to make one). */
  public HeartbeatCodec(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length < 16) {
      throw new IllegalArgumentException("a node-link key needs at least 16 bytes");
    }
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** The encoded size of a packet carrying {@code summary}, or -1 if a name is out of range. */
  public static int size(NodeSummary summary) {
    int n = summary.node().length();
    if (n < 1 || n > MAX_NAME || summary.groups().size() > MAX_GROUPS) {
      return -1;
    }
    int size = HEADER + n + HMAC_LENGTH;
    for (GroupEntry g : summary.groups()) {
      int m = g.name().length();
      if (m < 1 || m > MAX_GROUP_NAME) {
        return -1;
      }
      size += 1 + m + 4;
    }
    return size;
  }

  /**
   * Writes one packet into {@code out} (at least {@link #MAX_PACKET} bytes) and returns its length.
   *
   * @throws IllegalArgumentException if the summary does not fit (a validated configuration always
   *     does)
   */
  @SuppressWarnings("ReferenceEquality") // the cache is keyed by instance: no compare per packet
  public int encode(
      Heartbeat.Kind kind, long sequence, long echo, NodeSummary summary, byte[] out) {
    if (summary != cachedSummary) {
      cache(summary);
    }
    System.arraycopy(MAGIC, 0, out, 0, 4);
    out[4] = (byte) VERSION;
    out[5] = (byte) kind.code;
    out[6] = (byte) summary.node().length();
    out[7] = (byte) summary.groups().size();
    putLong(out, 8, sequence);
    putLong(out, 16, echo);
    putLong(out, 24, summary.configHash());
    int at = HEADER;
    System.arraycopy(cachedBody, 0, out, at, cachedLength);
    at += cachedLength;
    mac.update(out, 0, at);
    try {
      mac.doFinal(out, at);
    } catch (ShortBufferException e) {
      throw new IllegalArgumentException("output buffer shorter than MAX_PACKET", e);
    }
    return at + HMAC_LENGTH;
  }

  private void cache(NodeSummary summary) {
    if (size(summary) < 0) {
      throw new IllegalArgumentException("summary out of range: " + summary);
    }
    int at = 0;
    at = putName(cachedBody, at, summary.node());
    for (GroupEntry g : summary.groups()) {
      cachedBody[at++] = (byte) g.name().length();
      at = putName(cachedBody, at, g.name());
      cachedBody[at++] = (byte) g.vrid();
      cachedBody[at++] = (byte) stateCode(g.state());
      cachedBody[at++] = (byte) g.priority();
      cachedBody[at++] = (byte) (g.maintenance() ? 1 : 0);
    }
    cachedLength = at;
    cachedSummary = summary;
  }

  /** Decodes and authenticates {@code length} bytes of {@code in}; never throws for any input. */
  public Decoded decode(byte[] in, int length) {
    if (length < HEADER + 1 + HMAC_LENGTH || length > in.length) {
      return drop(LinkDropReason.TRUNCATED, length + " bytes");
    }
    for (int i = 0; i < 4; i++) {
      if (in[i] != MAGIC[i]) {
        return drop(LinkDropReason.BAD_MAGIC, "magic");
      }
    }
    if ((in[4] & 0xff) != VERSION) {
      return drop(LinkDropReason.BAD_VERSION, "version " + (in[4] & 0xff));
    }
    Heartbeat.Kind kind = Heartbeat.Kind.of(in[5] & 0xff);
    if (kind == null) {
      return drop(LinkDropReason.MALFORMED, "kind " + (in[5] & 0xff));
    }
    int n = in[6] & 0xff;
    int count = in[7] & 0xff;
    if (n < 1 || n > MAX_NAME || count > MAX_GROUPS) {
      return drop(LinkDropReason.MALFORMED, "name length " + n + ", " + count + " groups");
    }
    int end = length - HMAC_LENGTH;
    int at = HEADER;
    if (at + n > end) {
      return drop(LinkDropReason.TRUNCATED, "node name");
    }
    String node = name(in, at, n);
    if (node == null) {
      return drop(LinkDropReason.MALFORMED, "node name characters");
    }
    at += n;
    List<GroupEntry> groups = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (at >= end) {
        return drop(LinkDropReason.TRUNCATED, "group " + i);
      }
      int m = in[at++] & 0xff;
      if (m < 1 || m > MAX_GROUP_NAME) {
        return drop(LinkDropReason.MALFORMED, "group name length " + m);
      }
      if (at + m + 4 > end) {
        return drop(LinkDropReason.TRUNCATED, "group " + i);
      }
      String group = name(in, at, m);
      if (group == null) {
        return drop(LinkDropReason.MALFORMED, "group name characters");
      }
      at += m;
      int vrid = in[at++] & 0xff;
      int state = in[at++] & 0xff;
      int priority = in[at++] & 0xff;
      int flags = in[at++] & 0xff;
      if (state >= STATES.length || (flags & ~1) != 0) {
        return drop(LinkDropReason.MALFORMED, "group state " + state + ", flags " + flags);
      }
      groups.add(new GroupEntry(group, vrid, STATES[state], priority, (flags & 1) != 0));
    }
    if (at != end) {
      return drop(LinkDropReason.MALFORMED, (end - at) + " bytes after the groups");
    }
    mac.update(in, 0, end);
    try {
      mac.doFinal(expected, 0);
    } catch (ShortBufferException e) {
      throw new IllegalStateException(e);
    }
    System.arraycopy(in, end, received, 0, HMAC_LENGTH);
    if (!MessageDigest.isEqual(expected, received)) {
      return drop(LinkDropReason.BAD_MAC, "from " + node);
    }
    long sequence = getLong(in, 8);
    long echo = getLong(in, 16);
    long hash = getLong(in, 24);
    return new Decoded.Accepted(
        new Heartbeat(kind, sequence, echo, new NodeSummary(node, hash, groups)));
  }

  /** The outcome of {@link #decode}. */
  public sealed interface Decoded {
    /** An authenticated packet; the node, path and replay checks are the caller's. */
    record Accepted(Heartbeat heartbeat) implements Decoded {}

    /** A packet refused, with a reason to count and a short detail to log. */
    record Dropped(LinkDropReason reason, String detail) implements Decoded {}
  }

  private static int stateCode(GroupState state) {
    return switch (state) {
      case INITIALIZE -> 0;
      case BACKUP -> 1;
      case MASTER -> 2;
      case FAULT -> 3;
    };
  }

  private static Decoded drop(LinkDropReason reason, String detail) {
    return new Decoded.Dropped(reason, detail);
  }

  private static int putName(byte[] out, int at, String name) {
    for (int i = 0; i < name.length(); i++) {
      out[at++] = (byte) name.charAt(i);
    }
    return at;
  }

  /** The name, or null if a byte is not A-Z, a-z, 0-9, '.', '_' or '-'. */
  private static String name(byte[] in, int at, int length) {
    for (int i = at; i < at + length; i++) {
      int c = in[i] & 0xff;
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!ok) {
        return null;
      }
    }
    return new String(in, at, length, StandardCharsets.US_ASCII);
  }

  private static void putLong(byte[] out, int at, long value) {
    for (int i = 7; i >= 0; i--) {
      out[at + i] = (byte) value;
      value >>>= 8;
    }
  }

  private static long getLong(byte[] in, int at) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (in[at + i] & 0xff);
    }
    return value;
  }
}
