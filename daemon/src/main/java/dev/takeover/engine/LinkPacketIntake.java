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

  private final HeartbeatCodec codec;
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
    switch (codec.decode(packet, length)) {
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

  /** Packets the codec dropped since start, by reason; any thread. */
  public long drops(LinkDropReason reason) {
    return drops.get(reason).sum();
  }
}
