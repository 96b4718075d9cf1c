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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One platform thread that waits in {@code poll()} on every registered socket and an eventfd, and
 * hands what arrives to the registered handlers.
 *
 * <p>Implementation notes: blocking native calls on a virtual thread pin its carrier (on 2 CPUs two
 * pinned carriers starved everything else for over a second), so this is a platform thread and the
 * only blocking call is {@code poll()}; sockets are non-blocking and drained until EAGAIN. The
 * eventfd wakes the thread for registration changes and shutdown. Registered sockets belong to the
 * loop: it closes them, and only after it has stopped polling them, so a descriptor number is never
 * closed (and possibly reused by another open) while {@code poll()} still watches it. Handlers run
 * on the loop thread and must not block; a RuntimeException from a handler is logged and the loop
 * goes on, anything else ends the loop and goes to its {@code onDeath} handler.
 */
public final class ReceiveLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReceiveLoop.class);

  private final Thread thread;
  private final int wakeFd;
  private final MemorySegment one = Arena.ofAuto().allocateFrom(JAVA_LONG, 1L);
  private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private volatile boolean stopping;
  private boolean wakeFdClosed; // guarded by this

  // Loop-thread state.
  private final List<Registration> registrations = new ArrayList<>();
  private Registration[] polled = new Registration[0];
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

  private final Thread.UncaughtExceptionHandler onDeath;

  private ReceiveLoop(String threadName, Thread.UncaughtExceptionHandler onDeath) {
    wakeFd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
    this.onDeath = onDeath;
    thread =
        Thread.ofPlatform()
            .name(threadName)
            .daemon(true)
            .uncaughtExceptionHandler(onDeath)
            .unstarted(this::run);
  }

  /**
   * Starts the loop on a new platform (daemon) thread named {@code threadName}; if the loop dies of
   * an unexpected error, that is logged and the loop's sockets are closed.
   */
  public static ReceiveLoop start(String threadName) {
    return start(
        threadName,
        (thread, error) ->
            LOG.error(
                "receive loop {} failed; it stops and closes its sockets",
                thread.getName(),
                error));
  }

  /**
   * Starts the loop; {@code onDeath} (also the thread's uncaught-exception handler) is called if it
   * dies of an unexpected error, before its sockets are closed. The daemon's ends the process: a
   * loop that no longer reads adverts and link events means no failover.
   */
  public static ReceiveLoop start(String threadName, Thread.UncaughtExceptionHandler onDeath) {
    ReceiveLoop loop = new ReceiveLoop(threadName, onDeath);
    loop.thread.start();
    return loop;
  }

  /**
   * Delivers packets from {@code receiver} to {@code handler} on the loop thread. The loop takes
   * ownership of the receiver and closes it on {@link #unregister} or {@link #close}.
   */
  public void register(VrrpReceiver receiver, VrrpPacketHandler handler) {
    Objects.requireNonNull(handler, "handler");
    add(new Registration(receiver, receiver.fd(), () -> receiver.drain(handler), receiver::close));
  }

  /**
   * Delivers frames from {@code watch} to {@code handler} on the loop thread. The loop takes
   * ownership of the watch and closes it on {@link #unregister} or {@link #close}.
   */
  public void register(LinkWatch watch, LinkWatch.FrameHandler handler) {
    Objects.requireNonNull(handler, "handler");
    add(new Registration(watch, watch.fd(), () -> watch.drain(handler), watch::close));
  }

  /**
   * Delivers node-link datagrams from {@code socket} to {@code handler} on the loop thread. The
   * loop takes ownership of the socket and closes it on {@link #unregister} or {@link #close}.
   */
  public void register(LinkSocket socket, LinkSocket.Handler handler) {
    Objects.requireNonNull(handler, "handler");
    add(new Registration(socket, socket.fd(), () -> socket.drain(handler), socket::close));
  }

  /**
   * Delivers events from {@code monitor} (to its consumer) on the loop thread. The loop takes
   * ownership of the monitor and closes it on {@link #unregister} or {@link #close}.
   */
  public void register(NetlinkMonitor monitor) {
    add(new Registration(monitor, monitor.fd(), monitor::drain, monitor::close));
  }

  /**
   * Stops watching a registered receiver or monitor and closes it. Returns once the loop no longer
   * polls it (at once when called on the loop thread itself).
   */
  public void unregister(AutoCloseable source) {
    if (Thread.currentThread() == thread) {
      remove(source);
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    commands.add(
        () -> {
          remove(source);
          done.complete(null);
        });
    if (!wake() || !thread.isAlive()) {
      return; // the loop has stopped and closed everything
    }
    done.join();
  }

  /** Runs a task once on the loop thread, e.g. to raise the thread's scheduling priority. */
  public void execute(Runnable task) {
    commands.add(task);
    wake();
  }

  /** True while the loop thread runs. */
  public boolean isRunning() {
    return thread.isAlive();
  }

  /**
   * Stops the thread, waits for it, and closes every registered source. Called on the loop thread
   * itself (from a handler), it only asks the loop to stop.
   */
  @Override
  public void close() {
    stopping = true;
    wake();
    if (Thread.currentThread() != thread) {
      boolean interrupted = false;
      while (thread.isAlive()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void add(Registration registration) {
    if (stopping) {
      registration.closer.run();
      throw new IllegalStateException("receive loop is closed");
    }
    commands.add(
        () -> {
          registrations.add(registration);
          changed = true;
        });
    if (!wake()) {
      registration.closer.run();
      throw new IllegalStateException("receive loop is closed");
    }
  }

  @SuppressWarnings("ReferenceEquality") // registrations are keyed by their owner's identity
  private void remove(Object owner) {
    for (int i = 0; i < registrations.size(); i++) {
      Registration registration = registrations.get(i);
      if (registration.owner == owner) {
        registrations.remove(i);
        registration.active = false;
        changed = true;
        closeQuietly(registration);
        return;
      }
    }
  }

  /** Wakes the loop; false if it has already shut down. */
  private synchronized boolean wake() {
    if (wakeFdClosed) {
      return false;
    }
    Libc.write(wakeFd, one);
    return true;
  }

  private void run() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment counter = arena.allocate(JAVA_LONG);
      MemorySegment pollfds = MemorySegment.NULL;
      int capacity = 0;
      while (!stopping) {
        for (Runnable command; (command = commands.poll()) != null; ) {
          command.run();
        }
        if (stopping) {
          break;
        }
        if (changed) {
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
        int count = polled.length + 1;
        if (Libc.poll(pollfds, count, -1) <= 0) {
          continue;
        }
        if (pollfds.get(JAVA_SHORT, 6) != 0) {
          Libc.read(wakeFd, counter);
        }
        dispatch(pollfds);
      }
    } catch (Throwable e) {
      onDeath.uncaughtException(thread, e); // first: logging could fail (OutOfMemoryError)
    } finally {
      shutDown();
    }
  }

  private void dispatch(MemorySegment pollfds) {
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
    for (Registration registration : registrations) {
      closeQuietly(registration);
    }
    registrations.clear();
    synchronized (this) {
      wakeFdClosed = true;
      Libc.close(wakeFd);
    }
    // Anything registered after the last pass was never polled: close it too.
    for (Runnable command; (command = commands.poll()) != null; ) {
      command.run();
    }
    for (Registration registration : registrations) {
      closeQuietly(registration);
    }
    registrations.clear();
  }

  private static void closeQuietly(Registration registration) {
    try {
      registration.closer.run();
    } catch (RuntimeException e) {
      LOG.warn("closing {} failed", registration.owner, e);
    }
  }
}
