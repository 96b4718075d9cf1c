package dev.takeover.platform;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A copied VRRP packet, and a handler that queues them for a test to wait on. */
record Received(byte[] payload, InetAddress source, InetAddress destination, int ttl, int ifindex) {

  static final class Queue implements VrrpPacketHandler {
    private final BlockingQueue<Received> packets = new LinkedBlockingQueue<>();

    @Override
    public void onPacket(
        byte[] payload,
        int length,
        InetAddress source,
        InetAddress destination,
        int ttl,
        int ifindex) {
      packets.add(new Received(Arrays.copyOf(payload, length), source, destination, ttl, ifindex));
    }

    /** The next packet, waiting up to 5 s; null if none came. */
    Received next() throws InterruptedException {
      return packets.poll(5, TimeUnit.SECONDS);
    }
  }
}
