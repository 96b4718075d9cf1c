package dev.takeover.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Sends a numbered UDP probe to {@code target} every interval (1 ms by default) and records which
 * node answered each one, so that a failover shows up as an outage (lost probes) and a change of
 * answering node, measured from the client's side.
 *
 * <p>Implementation notes: one dedicated platform thread sends on schedule and drains answers from
 * a non-blocking channel, parking for at most {@link #POLL_NANOS} in between. That is busier than a
 * selector but gives sub-millisecond timestamps, which a 1 ms probe needs. If the thread falls
 * behind (CPU contention) it skips slots instead of bursting; send times are recorded as they
 * happened, so durations stay honest. The {@link ProbeLedger} turns answers into events; listeners
 * run on the probe thread and must be quick.
 */
public final class Prober implements AutoCloseable {
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(1);
  public static final Duration DEFAULT_LOSS_TIMEOUT = Duration.ofMillis(500);
  private static final long POLL_NANOS = 100_000;

  /** What to probe and how often. */
  public record Settings(InetSocketAddress target, Duration interval, Duration lossTimeout) {
    public Settings {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("interval must be positive: " + interval);
      }
    }

    public Settings(InetSocketAddress target) {
      this(target, DEFAULT_INTERVAL, DEFAULT_LOSS_TIMEOUT);
    }
  }

  private final Settings settings;
  private final DatagramChannel channel;
  private final ReentrantLock lock = new ReentrantLock();
  private final ProbeLedger ledger;
  private final Consumer<ProbeEvent> listener;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;

  private Prober(Settings settings, DatagramChannel channel, Consumer<ProbeEvent> listener) {
    this.settings = settings;
    this.channel = channel;
    this.listener = listener;
    this.ledger = new ProbeLedger(settings.lossTimeout().toNanos(), listener);
    this.thread = Thread.ofPlatform().name("prober").daemon().unstarted(this::run);
  }

  /** Starts probing {@code target} every {@code interval}; {@code listener} gets live events. */
  public static Prober start(
      InetSocketAddress target, Duration interval, Consumer<ProbeEvent> listener) {
    return start(new Settings(target, interval, DEFAULT_LOSS_TIMEOUT), listener);
  }

  public static Prober start(Settings settings, Consumer<ProbeEvent> listener) {
    try {
      DatagramChannel channel = DatagramChannel.open();
      channel.configureBlocking(false);
      channel.bind(null);
      Prober prober = new Prober(settings, channel, listener);
      prober.thread.start();
      return prober;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the probe socket", e);
    }
  }

  public Settings settings() {
    return settings;
  }

  private void run() {
    ByteBuffer out = ByteBuffer.allocateDirect(ProbePacket.REQUEST_LENGTH);
    ByteBuffer in = ByteBuffer.allocateDirect(256);
    long interval = settings.interval().toNanos();
    long next = System.nanoTime();
    try {
      while (running) {
        long now = System.nanoTime();
        if (now - next >= 0) {
          int seq;
          lock.lock();
          try {
            seq = ledger.recordSent(now);
            if (seq == 0) {
              listener.accept(
                  new ProbeEvent.Started(
                      settings.target().getHostString(),
                      settings.target().getPort(),
                      interval / 1_000,
                      ledger.originNanos()));
            }
          } finally {
            lock.unlock();
          }
          ProbePacket.writeRequest(out, seq);
          try {
            channel.send(out, settings.target());
          } catch (IOException unreachable) {
            // Counted as sent and, unanswered, as lost: that is what the client experiences.
          }
          next += interval;
          if (now - next > interval) {
            next = now + interval; // fell behind: skip slots rather than burst
          }
        }
        receiveAll(in);
        lock.lock();
        try {
          ledger.expire(System.nanoTime());
        } finally {
          lock.unlock();
        }
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(Math.min(wait, POLL_NANOS));
        }
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
    }
  }

  private void receiveAll(ByteBuffer in) throws IOException {
    while (true) {
      in.clear();
      if (channel.receive(in) == null) {
        return;
      }
      long now = System.nanoTime();
      Optional<ProbePacket.Answer> answer = ProbePacket.readResponse(in.flip());
      if (answer.isPresent()) {
        lock.lock();
        try {
          ledger.recordAnswer(answer.get().sequence(), answer.get().responder(), now);
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /** Everything recorded so far; probing continues. */
  public ProbeReport snapshot() {
    if (failure != null) {
      throw new IllegalStateException("prober failed", failure);
    }
    lock.lock();
    try {
      return ledger.report(
          settings.target().getHostString(),
          settings.target().getPort(),
          settings.interval().toNanos() / 1_000,
          System.nanoTime());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops sending, waits one loss timeout for answers still in flight (so the last probes are not
   * miscounted as lost), and returns the final report.
   */
  public ProbeReport stop() {
    if (running) {
      running = false;
      try {
        thread.join();
        long deadline = System.nanoTime() + settings.lossTimeout().toNanos();
        ByteBuffer in = ByteBuffer.allocateDirect(256);
        while (System.nanoTime() - deadline < 0 && pending() > 0) {
          receiveAll(in);
          LockSupport.parkNanos(POLL_NANOS);
        }
        receiveAll(in);
        channel.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        failure = e;
      }
    }
    lock.lock();
    try {
      ledger.expireAll(); // no more answers are coming
    } finally {
      lock.unlock();
    }
    return snapshot();
  }

  private int pending() {
    lock.lock();
    try {
      return ledger.pending();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
