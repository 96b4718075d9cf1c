package dev.takeover.api;

import dev.takeover.clock.Clock;
import dev.takeover.config.ApiConfig.Webhook;
import dev.takeover.journal.Journal;
import dev.takeover.journal.JournalEvent;
import dev.takeover.journal.JournalJson;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs journal events of chosen types to each configured URL (docs/API.md, "Webhooks"): in journal
 * order, at least once, each signed.
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li>One virtual thread per webhook. The journal's writer thread only offers each written event
 *       into a bounded queue ({@value #QUEUE}); nothing here can hold up the journal, let alone the
 *       engine.
 *   <li>The cursor, the id of the last event delivered (2xx) or skipped (another type), is a file
 *       in the state directory, replaced atomically after each delivery: after a restart the
 *       webhook carries on after it, reading the journal (which has the events, in order). Ids sort
 *       in time order (docs/JOURNAL.md), so "after the cursor" is exact. A webhook without a cursor
 *       starts at the end of the journal (no replay of history).
 *   <li>A failed POST (no answer within the timeout, or not 2xx) is retried with backoff from 0.5
 *       s, doubling, capped at {@link #MAX_BACKOFF}; the queue keeps filling meanwhile, and when it
 *       overflows the webhook re-reads from its cursor in the journal once the receiver is back.
 *   <li>Signature: {@code X-Takeover-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." +
 *       body)>} with {@code X-Takeover-Timestamp} (Unix seconds), so a receiver can check both the
 *       body and its freshness.
 * </ul>
 */
public final class Webhooks implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("takeover.webhook");
  static final int QUEUE = 1024;
  static final int BATCH = 100;
  static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final List<Delivery> deliveries = new ArrayList<>();

  private Webhooks() {}

  public static Webhooks start(List<Webhook> hooks, Path stateDir, String node, Clock clock) {
    Webhooks w = new Webhooks();
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    for (int i = 0; i < hooks.size(); i++) {
      Delivery d = new Delivery(i, hooks.get(i), stateDir, node, client, clock);
      // The cursor is read (or set at the journal's end) now, before any event is offered.
      d.catchUp = d.readCursor();
      w.deliveries.add(d);
      d.thread = Thread.ofVirtual().name("takeover-webhook-" + i).start(d::run);
    }
    return w;
  }

  /**
   * Hands a written event to every webhook; never blocks (the journal's writer thread calls it).
   */
  public void offer(JournalEvent e) {
    for (Delivery d : deliveries) {
      if (!d.queue.offer(e)) {
        d.overflow.set(true);
      }
    }
  }

  @Override
  public void close() {
    for (Delivery d : deliveries) {
      d.closed = true;
      if (d.thread != null) {
        d.thread.interrupt();
      }
    }
  }

  /** The cursor file of webhook {@code index} with URL {@code url}. */
  static Path cursorFile(Path stateDir, int index, String url) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return stateDir.resolve(
          "webhook-" + index + "-" + HexFormat.of().formatHex(h, 0, 4) + ".cursor");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** HMAC-SHA256 of {@code timestamp + "." + body}, hex: the signature header's value. */
  public static String signature(byte[] secret, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class Delivery {
    final Webhook hook;
    final Path stateDir;
    final String node;
    final HttpClient client;
    final Path cursorFile;
    final BlockingQueue<JournalEvent> queue = new ArrayBlockingQueue<>(QUEUE);
    final AtomicBoolean overflow = new AtomicBoolean();
    volatile boolean closed;
    Thread thread;
    String cursor;
    boolean failing;
    boolean catchUp;

    final Clock clock;

    Delivery(int index, Webhook hook, Path stateDir, String node, HttpClient client, Clock clock) {
      this.clock = clock;
      this.hook = hook;
      this.stateDir = stateDir;
      this.node = node;
      this.client = client;
      this.cursorFile = cursorFile(stateDir, index, hook.url().toString());
    }

    void run() {
      try {
        while (!closed) {
          if (overflow.getAndSet(false)) {
            queue.clear();
            catchUp = true;
          }
          if (catchUp) {
            List<JournalEvent> batch = Journal.readAfter(stateDir, cursor, BATCH).events();
            for (JournalEvent e : batch) {
              deliver(e);
            }
            catchUp = batch.size() == BATCH;
            continue;
          }
          JournalEvent e = queue.poll(5, TimeUnit.SECONDS);
          if (e != null && e.id().compareTo(cursor) > 0) {
            deliver(e);
          }
        }
      } catch (InterruptedException e) {
        // closed
      } catch (RuntimeException e) {
        log.error("webhook {}: delivery stopped: {}", hook.url(), e.toString());
      }
    }

    /** True when a cursor was found (catch up from it); else starts at the journal's end. */
    boolean readCursor() {
      try {
        if (Files.exists(cursorFile)) {
          cursor = Files.readString(cursorFile, StandardCharsets.UTF_8).strip();
          if (ApiServer.EVENT_ID.matcher(cursor).matches()) {
            return true;
          }
          log.warn(
              "webhook {}: cursor {} unreadable; starting at the journal's end",
              hook.url(),
              cursorFile);
        }
      } catch (IOException e) {
        log.warn("webhook {}: cannot read {}: {}", hook.url(), cursorFile, e.getMessage());
      }
      List<JournalEvent> last = Journal.read(stateDir, e -> true, 1).events();
      cursor = last.isEmpty() ? "" : last.getFirst().id();
      saveCursor();
      return false;
    }

    private void deliver(JournalEvent e) throws InterruptedException {
      if (hook.wants(e.type().wireName())) {
        byte[] body = JournalJson.write(e).getBytes(StandardCharsets.UTF_8);
        Duration backoff = FIRST_BACKOFF;
        while (!closed && !post(e, body)) {
          Thread.sleep(backoff);
          backoff =
              backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                  ? MAX_BACKOFF
                  : backoff.multipliedBy(2);
        }
        if (closed) {
          return;
        }
      }
      cursor = e.id();
      saveCursor();
    }

    private boolean post(JournalEvent e, byte[] body) throws InterruptedException {
      long ts = clock.instant().getEpochSecond();
      HttpRequest.Builder b =
          HttpRequest.newBuilder(hook.url())
              .timeout(hook.timeout())
              .header("Content-Type", "application/json")
              .header("User-Agent", "takeover-webhook")
              .header("X-Takeover-Event", e.type().wireName())
              .header("X-Takeover-Delivery", e.id())
              .header("X-Takeover-Node", node)
              .header("X-Takeover-Timestamp", Long.toString(ts))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      Optional<byte[]> secret = secret();
      secret.ifPresent(s -> b.header("X-Takeover-Signature", signature(s, ts, body)));
      String problem;
      try {
        HttpResponse<Void> r = client.send(b.build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() / 100 == 2) {
          if (failing) {
            log.info("webhook {}: delivering again", hook.url());
            failing = false;
          }
          return true;
        }
        problem = "HTTP " + r.statusCode();
      } catch (IOException ex) {
        problem = ex.toString();
      }
      if (!failing) {
        log.warn(
            "webhook {}: {} not delivered ({}); retrying with backoff",
            hook.url(),
            e.id(),
            problem);
        failing = true;
      }
      return false;
    }

    private Optional<byte[]> secret() {
      if (hook.secretFile().isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(
            Files.readString(hook.secretFile().get(), StandardCharsets.UTF_8)
                .strip()
                .getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        log.warn(
            "webhook {}: cannot read secret {}: {}; sending unsigned",
            hook.url(),
            hook.secretFile().get(),
            e.getMessage());
        return Optional.empty();
      }
    }

    private void saveCursor() {
      try {
        Path tmp = cursorFile.resolveSibling(cursorFile.getFileName() + ".tmp");
        Files.writeString(tmp, cursor + "\n", StandardCharsets.UTF_8);
        Files.move(
            tmp, cursorFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        log.warn("webhook {}: cannot save cursor {}: {}", hook.url(), cursorFile, e.getMessage());
      }
    }
  }
}
