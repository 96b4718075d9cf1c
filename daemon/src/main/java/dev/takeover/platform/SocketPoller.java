package dev.takeover.platform;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every socket the daemon receives on, in one {@code ppoll()}: adverts, node-link heartbeats, link
 * watches, gateway probes' echo replies and kernel events, read by whichever one thread calls
 * {@link #pollOnce} — the daemon's engine, so that an advert arriving costs one thread wake-up (the
 * engine's) instead of two (a receive thread's, then the engine's through a queue;
 * docs/DECISIONS.md 65).
 *
 * <p>Implementation notes: the first thread that calls {@link #pollOnce} owns the poller; only it
 * touches the registrations and runs the handlers. Other threads register, unregister and run tasks
 * through a command queue and an eventfd that wakes {@code ppoll()}. Before an owner exists
 * (start-up) and after it has died (shutdown), nobody polls, so those calls act at once under the
 * poller's lock. Sockets are non-blocking and read at most {@link #BUDGET} packets each per call:
 * {@code ppoll()} is level-triggered, so what is left is read on the next call, and a flood on one
 * socket cannot keep the caller (the engine, with its timers) from getting on. Registered sockets
 * belong to the poller: it closes them, and only once no {@code ppoll()} watches them, so a
 * descriptor number is never closed (and reused by another open) under a poll. A RuntimeException
 * from a handler is logged and the others still run; anything else leaves {@link #pollOnce}.
 */
public final class SocketPoller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SocketPoller.class);

  /** Packets read from one socket per call: enough for a burst, bounded for timers' sake. */
  static final int BUDGET = 64;

  private final int wakeFd;
  private final MemorySegment one = Arena.ofAuto().allocateFrom(JAVA_LONG, 1L);
  private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private volatile Thread owner;
  private volatile boolean closed;
  private boolean wakeFdClosed; // guarded by this

  // Owner state (or the lock holder's while there is no live owner).
  private final Arena arena = Arena.ofAuto();
  private final MemorySegment counter = arena.allocate(JAVA_LONG);
  private final MemorySegment timespec = arena.allocate(Libc.TIMESPEC_SIZE, 8);
  private final List<Registration> registrations = new ArrayList<>();
  private Registration[] polled = new Registration[0];
  private MemorySegment pollfds = MemorySegment.NULL;
  private int capacity;
  private boolean changed = true;

  private static final class Registration {
    final Object owner;
    final int fd;
    final Runnable onReadable;
    final Runnable closer;
    boolean active = true;

    Registration(Object owner, int fd, Runnable onReadable, Runnable closer) {
      this.owner = owner;
      this.fd = fd;
      this.onReadable = onReadable;
      this.closer = closer;
    }
  }

  public SocketPoller() {
    wakeFd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
  }

  /**
   * Delivers packets from {@code receiver} to {@code handler} on the polling thread. The poller
   * takes ownership of the receiver and closes it on {@link #unregister} or {@link #close}.
   */
  public void register(VrrpReceiver receiver, VrrpPacketHandler handler) {
    Objects.requireNonNull(handler, "handler");
    add(
        new Registration(
            receiver, receiver.fd(), () -> receiver.drain(handler, BUDGET), receiver::close));
  }

  /** Frames from {@code watch} to {@code handler}; the poller owns the watch from now on. */
  public void register(LinkWatch watch, LinkWatch.FrameHandler handler) {
    Objects.requireNonNull(handler, "handler");
    add(new Registration(watch, watch.fd(), () -> watch.drain(handler, BUDGET), watch::close));
  }

  /** Node-link datagrams from {@code socket} to {@code handler}; the poller owns the socket. */
  public void register(LinkSocket socket, LinkSocket.Handler handler) {
    Objects.requireNonNull(handler, "handler");
    add(new Registration(socket, socket.fd(), () -> socket.drain(handler, BUDGET), socket::close));
  }

  /** ICMP echo replies from {@code socket} to {@code handler}; the poller owns the socket. */
  public void register(IcmpSocket socket, IcmpSocket.Handler handler) {
    Objects.requireNonNull(handler, "handler");
    if (socket.ipv6()) {
      throw new IllegalArgumentException(socket + ": an ICMPv6 socket wants a Handler6");
    }
    add(new Registration(socket, socket.fd(), () -> socket.drain(handler, BUDGET), socket::close));
  }

  /** ICMPv6 messages from {@code socket} ({@link IcmpSocket#open6}) to {@code handler}; owns it. */
  public void register(IcmpSocket socket, IcmpSocket.Handler6 handler) {
    Objects.requireNonNull(handler, "handler");
    if (!socket.ipv6()) {
      throw new IllegalArgumentException(socket + ": an IPv4 ICMP socket wants a Handler");
    }
    add(new Registration(socket, socket.fd(), () -> socket.drain6(handler, BUDGET), socket::close));
  }

  /** Events from {@code monitor} to its consumer; the poller owns the monitor. */
  public void register(NetlinkMonitor monitor) {
    add(new Registration(monitor, monitor.fd(), () -> monitor.drain(BUDGET), monitor::close));
  }

  /**
   * Stops watching a registered source and closes it. Returns once no {@code ppoll()} watches it
   * any more (at once on the polling thread, or when nobody polls).
   */
  public void unregister(AutoCloseable source) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable removal =
        () -> {
          remove(source);
          done.complete(null);
        };
    if (runHereIfNobodyPolls(removal)) {
      return;
    }
    commands.add(removal);
    wake();
    while (!done.isDone()) {
      if (runHereIfNobodyPolls(() -> {})) {
        return; // the owner died before it got to the command; close() closes the source
      }
      try {
        done.get(50, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // look again whether the owner still polls
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
  }

  /** Runs a task once on the polling thread (at the next {@link #pollOnce}). */
  public void execute(Runnable task) {
    commands.add(task);
    wake();
  }

  /** Wakes a {@link #pollOnce} that waits, or makes the next one return at once. */
  public void wake() {
    synchronized (this) {
      if (!wakeFdClosed) {
        Libc.write(wakeFd, one);
      }
    }
  }

  /** True once {@link #close} was called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Runs queued commands, waits until a socket is readable, {@link #wake} is called or {@code
   * timeoutNanos} have passed (negative: no limit), and hands what arrived to the handlers, at most
   * {@link #BUDGET} packets per socket. Only one thread may ever call this.
   */
  public void pollOnce(long timeoutNanos) {
    Thread current = Thread.currentThread();
    if (owner != current) {
      synchronized (this) {
        if (owner != null && owner.isAlive()) {
          throw new IllegalStateException(
              "the poller belongs to " + owner.getName() + ", not " + current.getName());
        }
        owner = current;
      }
    }
    if (closed) {
      shutDown();
      if (timeoutNanos > 0) {
        LockSupport.parkNanos(timeoutNanos); // nothing left to poll: wait, do not spin
      }
      return;
    }
    for (Runnable command; (command = commands.poll()) != null; ) {
      command.run();
    }
    if (changed) {
      rebuild();
    }
    MemorySegment limit = MemorySegment.NULL;
    if (timeoutNanos >= 0) {
      timespec.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
      timespec.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
      limit = timespec;
    }
    if (Libc.ppoll(pollfds, polled.length + 1, limit) <= 0) {
      return;
    }
    if (pollfds.get(JAVA_SHORT, 6) != 0) {
      Libc.read(wakeFd, counter);
    }
    dispatch();
  }

  /**
   * Closes every registered source. Called by the polling thread, or while nobody polls, it closes
   * them at once; otherwise the owner does at its next {@link #pollOnce}, which {@link #wake} makes
   * happen now.
   */
  @Override
  public void close() {
    closed = true;
    if (!runHereIfNobodyPolls(this::shutDown)) {
      wake();
    }
  }

  /**
   * Runs {@code task} on this thread if it owns the poller or no live thread does (start-up,
   * shutdown), under the lock a new owner takes first.
   */
  private boolean runHereIfNobodyPolls(Runnable task) {
    Thread polling = owner;
    if (polling == Thread.currentThread()) {
      task.run();
      return true;
    }
    synchronized (this) {
      if (owner != null && owner.isAlive()) {
        return false;
      }
      for (Runnable command; (command = commands.poll()) != null; ) {
        command.run();
      }
      task.run();
      return true;
    }
  }

  private void add(Registration registration) {
    if (closed) {
      registration.closer.run();
      throw new IllegalStateException("socket poller is closed");
    }
    commands.add(
        () -> {
          if (closed) {
            closeQuietly(registration);
            return;
          }
          registrations.add(registration);
          changed = true;
        });
    wake();
  }

  @SuppressWarnings("ReferenceEquality") // registrations are keyed by their owner's identity
  private void remove(Object source) {
    for (int i = 0; i < registrations.size(); i++) {
      Registration registration = registrations.get(i);
      if (registration.owner == source) {
        registrations.remove(i);
        registration.active = false;
        changed = true;
        closeQuietly(registration);
        return;
      }
    }
  }

  private void rebuild() {
    polled = registrations.toArray(new Registration[0]);
    if (polled.length + 1 > capacity) {
      capacity = Math.max(8, 2 * (polled.length + 1));
      pollfds = arena.allocate((long) capacity * Libc.POLLFD_SIZE, 8);
    }
    pollfds.set(JAVA_INT, 0, wakeFd);
    pollfds.set(JAVA_SHORT, 4, Libc.POLLIN);
    for (int i = 0; i < polled.length; i++) {
      pollfds.set(JAVA_INT, (i + 1L) * Libc.POLLFD_SIZE, polled[i].fd);
      pollfds.set(JAVA_SHORT, (i + 1L) * Libc.POLLFD_SIZE + 4, Libc.POLLIN);
    }
    changed = false;
  }

  private void dispatch() {
    Registration[] current = polled;
    for (int i = 0; i < current.length; i++) {
      short events = pollfds.get(JAVA_SHORT, (i + 1L) * Libc.POLLFD_SIZE + 6);
      Registration registration = current[i];
      if (events == 0 || !registration.active) {
        continue;
      }
      if ((events & Libc.POLLNVAL) != 0) {
        LOG.error(
            "descriptor {} of {} is no longer open; dropped", registration.fd, registration.owner);
        remove(registration.owner);
        continue;
      }
      try {
        registration.onReadable.run();
      } catch (RuntimeException e) {
        LOG.error("handler for {} failed", registration.owner, e);
      }
    }
  }

  private void shutDown() {
    // Registrations still queued as commands are closed by add's command, seeing closed.
    for (Runnable command; (command = commands.poll()) != null; ) {
      command.run();
    }
    for (Registration registration : registrations) {
      registration.active = false;
      closeQuietly(registration);
    }
    registrations.clear();
    polled = new Registration[0];
    changed = true;
    synchronized (this) {
      if (!wakeFdClosed) {
        wakeFdClosed = true;
        Libc.close(wakeFd);
      }
    }
  }

  private static void closeQuietly(Registration registration) {
    try {
      registration.closer.run();
    } catch (RuntimeException e) {
      LOG.warn("closing {} failed", registration.owner, e);
    }
  }
}
