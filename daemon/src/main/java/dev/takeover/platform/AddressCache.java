package dev.takeover.platform;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;

/**
 * A small cache from raw address bytes to {@link InetAddress}, so the receive path does not
 * allocate an address object per packet. A VRRP interface sees a handful of distinct sources; when
 * the cache is full, entries are replaced round-robin. Not thread-safe (one receiver, one thread).
 */
final class AddressCache {

  private final byte[][] keys;
  private final InetAddress[] values;
  private int size;
  private int next;

  AddressCache(int capacity) {
    keys = new byte[capacity][];
    values = new InetAddress[capacity];
  }

  InetAddress lookup(MemorySegment segment, long offset, int length) {
    for (int i = 0; i < size; i++) {
      if (matches(keys[i], segment, offset, length)) {
        return values[i];
      }
    }
    byte[] raw = new byte[length];
    MemorySegment.copy(segment, JAVA_BYTE, offset, raw, 0, length);
    InetAddress address = NetlinkCodec.inetAddress(raw);
    int slot;
    if (size < keys.length) {
      slot = size++;
    } else {
      slot = next;
      next = (next + 1) % keys.length;
    }
    keys[slot] = raw;
    values[slot] = address;
    return address;
  }

  private static boolean matches(byte[] key, MemorySegment segment, long offset, int length) {
    if (key.length != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (key[i] != segment.get(JAVA_BYTE, offset + i)) {
        return false;
      }
    }
    return true;
  }
}
