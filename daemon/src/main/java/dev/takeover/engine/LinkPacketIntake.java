package dev.takeover.engine;

import dev.takeover.clock.Clock;
import dev.takeover.effect.RateLimitedLog;
import dev.takeover.links.HeartbeatCodec;
import dev.takeover.links.LinkDropReason;
import java.net.InetAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node-link packets on the polling thread: decodes and authenticates each ({@link HeartbeatCodec},
 * its own instance: the codec is not thread-safe), posts what passes to the engine, and counts what
 * does not by reason, logging each reason at most once per 10 s, so a flood of forged packets costs
 * a hash each and never reaches the engine's queue.
 */
public final class LinkPacketIntake {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  // A reload's new key replaces the codec; the one it replaced stays as previous until every peer
  // is heard with the new key (LinkRuntime). Read where the packets are read, set on the engine
  // thread: volatile for a poller on a thread of its own (the tests').
  private volatile HeartbeatCodec codec;
  private volatile HeartbeatCodec previous;
  private final Consumer<Event> engine;
  private final Clock clock;
  private final RateLimitedLog dropLog;
  private final Map<LinkDropReason, LongAdder> drops = new EnumMap<>(LinkDropReason.class);

  public LinkPacketIntake(HeartbeatCodec codec, Consumer<Event> engine, Clock clock) {
    this.codec = codec;
    this.engine = engine;
    this.clock = clock;
    this.dropLog = new RateLimitedLog(log, 10, TimeUnit.SECONDS, clock);
    for (LinkDropReason r : LinkDropReason.values()) {
      drops.put(r, new LongAdder());
    }
  }

  /** One datagram from the socket poller; the bytes are valid during the call only. */
  public void onPacket(byte[] packet, int length, InetAddress local, InetAddress source) {
    long receivedAt = clock.nanoTime();
    HeartbeatCodec.Decoded decoded = codec.decode(packet, length);
    HeartbeatCodec old = previous;
    if (old != null
        && decoded instanceof HeartbeatCodec.Decoded.Dropped d
        && d.reason() == LinkDropReason.BAD_MAC
        && old.decode(packet, length) instanceof HeartbeatCodec.Decoded.Accepted a) {
      engine.accept(new Event.LinkPacket(local, source, a.heartbeat(), receivedAt, true));
      return;
    }
    switch (decoded) {
      case HeartbeatCodec.Decoded.Accepted a ->
          engine.accept(new Event.LinkPacket(local, source, a.heartbeat(), receivedAt));
      case HeartbeatCodec.Decoded.Dropped d -> {
        drops.get(d.reason()).increment();
        dropLog.warn(
            d.reason(),
            "node-link packet from {} to {} dropped: {} ({})",
            source.getHostAddress(),
            local.getHostAddress(),
            d.reason().description(),
            d.detail());
      }
    }
  }

  /**
   * A reload changed the key: packets are authenticated with {@code next} (a codec of its own), and
   * with the one it replaces when that fails, until {@link #forgetPrevious}.
   */
  public void rekey(HeartbeatCodec next) {
    previous = codec;
    codec = next;
  }

  /** Every peer uses the new key: the replaced one authenticates nothing any more. */
  public void forgetPrevious() {
    previous = null;
  }

  /** Packets the codec dropped since start, by reason; any thread. */
  public long drops(LinkDropReason reason) {
    return drops.get(reason).sum();
  }
}
