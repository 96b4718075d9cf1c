package dev.takeover.config;

import static dev.takeover.config.Diagnostics.didYouMean;
import static dev.takeover.config.Diagnostics.quote;

import dev.takeover.config.ConfigNode.ListNode;
import dev.takeover.config.ConfigNode.Scalar;
import dev.takeover.config.ConfigNode.ScalarKind;
import dev.takeover.config.Readers.DurationRule;
import dev.takeover.config.Readers.IntRule;
import dev.takeover.wire.AuthKey;
import dev.takeover.wire.AuthSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A group's {@code auth}: keepalived 2.4's {@code auth_hmac} (HMAC-SHA256 trailers,
 * draft-cassen-vrrp-auth-hmac) with the same keys, modes and defaults, so one key file can serve
 * both.
 *
 * <p>Secrets: a key comes from a {@code file} (preferred: the secret stays out of the
 * configuration, which is shown, diffed and copied around) or inline as {@code secret}. Either
 * holds what keepalived's {@code key} value holds: {@code hex:} and 64..128 hex digits, or an ASCII
 * string of 32..64 characters. No message ever shows a secret, not even a wrong one. Key files are
 * read here, by every validation ({@code check}, start, reload), so a reload that points at a new
 * file, or a file whose content changed, is seen as a changed group; {@code check} therefore needs
 * to be able to read them (root, for a root-only key file).
 */
final class AuthRules {

  static final int MAX_KEYS = 16;

  /** keepalived's key file buffer is 139 bytes; anything much larger is not a key file. */
  static final int MAX_KEY_FILE_BYTES = 1024;

  private static final IntRule KEY_ID = new IntRule(AuthKey.MIN_ID, AuthKey.MAX_ID);
  private static final DurationRule TIME_WINDOW =
      new DurationRule(
          Duration.ofSeconds(AuthSettings.MIN_WINDOW_SECONDS),
          Duration.ofSeconds(AuthSettings.MAX_WINDOW_SECONDS),
          1000,
          false);
  private static final String SECRET_ALLOWED =
      "\"hex:\" and 64..128 hex digits (32..64 bytes), or 32..64 ASCII characters";

  private final Readers read;
  private final Diagnostics diagnostics;

  AuthRules(Readers read) {
    this.read = read;
    this.diagnostics = read.diagnostics;
  }

  /** Empty without an {@code auth} key; null if it has an error. */
  Optional<AuthSettings> auth(Section group, Duration advertInterval) {
    if (!group.has("auth")) {
      return Optional.empty();
    }
    Section s = read.subsection(group, "auth", ConfigValidator.AUTH_KEYS);
    if (s == null) {
      return null;
    }
    List<AuthKey> keys = keys(s);
    AuthSettings.Mode mode =
        choice(
            s,
            "mode",
            AuthSettings.Mode.values(),
            AuthSettings.Mode::keyword,
            AuthSettings.Mode.ENFORCE);
    AuthSettings.AntiReplay antiReplay =
        choice(
            s,
            "anti-replay",
            AuthSettings.AntiReplay.values(),
            AuthSettings.AntiReplay::keyword,
            AuthSettings.AntiReplay.TIME);
    Duration window = read.duration(s, "time-window", TIME_WINDOW, null);
    if (window == null && s.has("time-window")) {
      return null;
    }
    if (antiReplay == AuthSettings.AntiReplay.MONOTONIC && s.has("time-window")) {
      diagnostics.warning(
          s.entry("time-window").value(),
          s.path("time-window") + ": has no effect with anti-replay: monotonic");
    }
    Integer active = activeKey(s, keys);
    if (keys == null || mode == null || antiReplay == null || active == null) {
      return null;
    }
    int windowSeconds =
        window != null
            ? (int) window.toSeconds()
            : advertInterval == null
                ? AuthSettings.WINDOW_FLOOR_SECONDS
                : AuthSettings.defaultWindowSeconds(advertInterval.toNanos());
    return Optional.of(new AuthSettings(keys, active, mode, antiReplay, windowSeconds));
  }

  private Integer activeKey(Section s, List<AuthKey> keys) {
    if (!s.has("active-key")) {
      if (keys != null && keys.size() == 1) {
        return keys.getFirst().id();
      }
      if (keys != null) {
        read.missing(s, "active-key", "the id of one of the keys (required with several keys)");
      }
      return null;
    }
    Integer id = read.integer(s, "active-key", KEY_ID, null);
    if (id == null || keys == null) {
      return null;
    }
    if (keys.stream().noneMatch(k -> k.id() == id)) {
      diagnostics.reject(
          s.entry("active-key").value(),
          s.path("active-key"),
          "is not the id of a key here",
          "one of " + keys.stream().map(k -> String.valueOf(k.id())).toList());
      return null;
    }
    return id;
  }

  private List<AuthKey> keys(Section s) {
    String allowed =
        "a list of 1.." + MAX_KEYS + " keys, e.g. [{id: 1, file: /etc/takeover/vrrp.key}]";
    ListNode list = read.listOf(s, "keys", allowed);
    if (list == null) {
      return null;
    }
    boolean valid = read.counted(list, s.path("keys"), "key", 1, MAX_KEYS, "keys per group");
    List<AuthKey> keys = new ArrayList<>();
    Map<Integer, Integer> lineOfId = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      String path = s.path("keys") + "[" + i + "]";
      Section k = read.mapping(list.items().get(i), path, ConfigValidator.AUTH_KEY_KEYS);
      if (k == null) {
        valid = false;
        continue;
      }
      Integer id = read.integer(k, "id", KEY_ID, null);
      if (id != null) {
        Integer earlier = lineOfId.putIfAbsent(id, k.entry("id").value().line());
        if (earlier != null) {
          diagnostics.error(
              k.entry("id").value(),
              k.path("id")
                  + ": "
                  + id
                  + " is already a key id (line "
                  + earlier
                  + "); allowed: each id once");
          id = null;
        }
      }
      byte[] secret = secret(k);
      if (id == null || secret == null) {
        valid = false;
      } else {
        keys.add(new AuthKey(id, secret));
      }
      if (secret != null) {
        Arrays.fill(secret, (byte) 0);
      }
    }
    return valid ? keys : null;
  }

  /** The key's bytes from {@code file} or {@code secret}; null (reported) if unusable. */
  private byte[] secret(Section k) {
    boolean file = k.has("file");
    boolean inline = k.has("secret");
    if (file == inline) {
      diagnostics.error(
          k.map,
          k.prefix
              + ": "
              + (file ? "both file and secret" : "no file or secret")
              + "; allowed: exactly one of file (a key file, preferred) or secret (inline)");
      return null;
    }
    if (inline) {
      Scalar value = read.scalarText(k, "secret", SECRET_ALLOWED);
      if (value == null) {
        return null;
      }
      if (value.kind() != ScalarKind.STRING) {
        diagnostics.error(
            value, k.path("secret") + ": is not a string; allowed: " + SECRET_ALLOWED);
        return null;
      }
      diagnostics.warning(
          value,
          k.path("secret")
              + ": an inline secret is readable by anyone who can read this file (and lands in"
              + " backups and diffs); prefer file: with a root-only key file");
      return decode(value, k.path("secret"), value.text());
    }
    Scalar value = read.scalarText(k, "file", "an absolute path to a key file");
    if (value == null) {
      return null;
    }
    return readKeyFile(value, k.path("file"));
  }

  private byte[] readKeyFile(Scalar at, String path) {
    Path file = Path.of(at.text());
    String allowed = "an absolute path to a readable key file (" + SECRET_ALLOWED + ")";
    if (!file.isAbsolute()) {
      diagnostics.reject(at, path, "is not an absolute path", allowed);
      return null;
    }
    // Refuse what is not a regular file before opening it: a FIFO would block the check.
    if (!Files.isRegularFile(file)) {
      diagnostics.reject(
          at, path, Files.exists(file) ? "is not a regular file" : "does not exist", allowed);
      return null;
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_KEY_FILE_BYTES + 1);
    } catch (NoSuchFileException e) {
      diagnostics.reject(at, path, "does not exist", allowed);
      return null;
    } catch (AccessDeniedException e) {
      diagnostics.reject(
          at, path, "cannot be read: permission denied (run check as root?)", allowed);
      return null;
    } catch (IOException e) {
      diagnostics.reject(at, path, "cannot be read: " + e.getMessage(), allowed);
      return null;
    }
    if (bytes.length > MAX_KEY_FILE_BYTES) {
      Arrays.fill(bytes, (byte) 0);
      diagnostics.reject(
          at, path, "is larger than " + MAX_KEY_FILE_BYTES + " bytes: not a key file", allowed);
      return null;
    }
    groupOrOtherAccess(file, at, path);
    int n = bytes.length;
    // A trailing line end, as editors and `echo` leave it (keepalived drops it too).
    while (n > 0 && (bytes[n - 1] == '\n' || bytes[n - 1] == '\r')) {
      n--;
    }
    for (int i = 0; i < n; i++) {
      if (bytes[i] < 0x20 || bytes[i] > 0x7e) {
        Arrays.fill(bytes, (byte) 0);
        diagnostics.error(
            at,
            path
                + ": "
                + quote(at.text())
                + " holds a byte that is not printable ASCII at offset "
                + i
                + "; allowed: a key file holding "
                + SECRET_ALLOWED);
        return null;
      }
    }
    String text = new String(bytes, 0, n, StandardCharsets.US_ASCII);
    Arrays.fill(bytes, (byte) 0);
    return decode(at, path + " (" + at.text() + ")", text);
  }

  private void groupOrOtherAccess(Path file, Scalar at, String path) {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
      boolean open =
          p.stream().anyMatch(x -> x.name().startsWith("GROUP_") || x.name().startsWith("OTHERS_"));
      if (open) {
        diagnostics.warning(
            at,
            path
                + ": "
                + quote(at.text())
                + " is accessible by group or others; anyone who reads it can forge adverts"
                + " (chmod 600)");
      }
    } catch (IOException | UnsupportedOperationException e) {
      // No POSIX permissions to judge (or a symlink we did not follow): nothing to warn about.
    }
  }

  /**
   * keepalived's key syntax: {@code hex:} then raw bytes in hex, otherwise the ASCII text itself.
   * Messages name the length, never the value.
   */
  private byte[] decode(ConfigNode at, String path, String text) {
    byte[] bytes;
    if (text.startsWith("hex:")) {
      String digits = text.substring(4);
      if (digits.length() % 2 != 0 || !digits.chars().allMatch(AuthRules::isHexDigit)) {
        diagnostics.error(
            at,
            path
                + ": the hex: value is not an even number of hex digits; allowed: "
                + SECRET_ALLOWED);
        return null;
      }
      bytes = HexFormat.of().parseHex(digits);
    } else {
      if (!text.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
        diagnostics.error(
            at,
            path + ": holds characters that are not printable ASCII; allowed: " + SECRET_ALLOWED);
        return null;
      }
      bytes = text.getBytes(StandardCharsets.US_ASCII);
    }
    if (bytes.length < AuthKey.MIN_LENGTH || bytes.length > AuthKey.MAX_LENGTH) {
      diagnostics.error(
          at,
          path
              + ": the key has "
              + bytes.length
              + " bytes (32 keep a 128-bit margin against a quantum search; generate one with"
              + " `openssl rand -hex 32`); allowed: "
              + SECRET_ALLOWED);
      Arrays.fill(bytes, (byte) 0);
      return null;
    }
    return bytes;
  }

  private static boolean isHexDigit(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private <E> E choice(
      Section s, String key, E[] values, java.util.function.Function<E, String> name, E def) {
    List<String> names = Arrays.stream(values).map(name).toList();
    String allowed = String.join(", ", names);
    if (!s.has(key)) {
      return def;
    }
    Scalar value = read.scalarText(s, key, allowed);
    if (value == null) {
      return null;
    }
    for (E v : values) {
      if (name.apply(v).equals(value.text())) {
        return v;
      }
    }
    diagnostics.reject(
        value, s.path(key), "is not allowed" + didYouMean(value.text(), names), allowed);
    return null;
  }
}
