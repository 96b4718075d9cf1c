package dev.takeover.config;

import static dev.takeover.config.Diagnostics.didYouMean;

import dev.takeover.config.ConfigNode.Scalar;
import dev.takeover.config.ConfigNode.ScalarKind;
import dev.takeover.config.Readers.IntRule;
import dev.takeover.wire.SimplePassword;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A group's {@code version} and, for VRRPv2 (RFC 3768), its {@code authentication}: keepalived's
 * {@code vrrp_version 2} and {@code authentication { auth_type PASS; auth_pass ... }}.
 *
 * <p>VRRPv2 is IPv4 only with whole-second intervals of 1..255 s (the wire field is one byte of
 * seconds); its checksum never covers a pseudo-header, so {@code checksum} is refused rather than
 * ignored, and so is {@code auth} (auth_hmac is keepalived's VRRPv3 trailer). {@code auth_type AH}
 * (RFC 2338's IPsec AH, which keepalived 2.2.7 still offers) is refused with a clear error: nobody
 * on the link could check it here. A password longer than 8 bytes is refused, never truncated
 * (keepalived truncates it with a warning; see docs/CONFIG.md).
 */
final class Vrrp2Rules {
  static final int DEFAULT_VERSION = 3;
  private static final IntRule VERSION = new IntRule(2, 3);
  private static final List<String> TYPES = List.of("pass", "ah");
  static final int MAX_PASSWORD_FILE_BYTES = 1024;
  private static final String PASSWORD_ALLOWED = "1..8 bytes (keepalived's auth_pass)";

  private final Readers read;
  private final Diagnostics diagnostics;

  Vrrp2Rules(Readers read) {
    this.read = read;
    this.diagnostics = read.diagnostics;
  }

  /** The group's VRRP version; null if it has an error. */
  Integer version(Section s) {
    return read.integer(s, "version", VERSION, DEFAULT_VERSION);
  }

  /**
   * The checks that tie other keys to the version: IPv4 for VRRPv2, no {@code checksum} or {@code
   * auth} there, no {@code authentication} for VRRPv3 (the interval's range is the reader's). False
   * if one failed.
   */
  boolean consistent(Section s, Integer version, AddressFamily family) {
    if (version == null) {
      return false;
    }
    boolean ok = true;
    if (version == 3) {
      if (s.has("authentication")) {
        diagnostics.reject(
            s.entry("authentication").value(),
            s.path("authentication"),
            "is only for version: 2 (VRRPv3 adverts have no authentication field; for"
                + " authenticated VRRPv3 adverts use auth)",
            "version: 2, or remove the key");
        ok = false;
      }
      return ok;
    }
    if (family == AddressFamily.IPV6) {
      diagnostics.reject(
          s.entry("version").value(),
          s.path("version"),
          "is IPv4 only (RFC 3768), and the group's addresses are IPv6",
          "3 for IPv6 groups");
      ok = false;
    }
    if (s.has("checksum")) {
      diagnostics.reject(
          s.entry("checksum").value(),
          s.path("checksum"),
          "does not apply to version: 2; the VRRPv2 checksum always covers the VRRP message only"
              + " (RFC 3768 §5.3.8)",
          "remove the key");
      ok = false;
    }
    if (s.has("auth")) {
      diagnostics.reject(
          s.entry("auth").value(),
          s.path("auth"),
          "is auth_hmac, which is for version: 3 groups",
          "authentication with type: pass for a VRRPv2 password, or version: 3");
      ok = false;
    }
    return ok;
  }

  /** Empty without an {@code authentication} key; null if it has an error. */
  Optional<SimplePassword> authentication(Section group) {
    if (!group.has("authentication")) {
      return Optional.empty();
    }
    Section s = read.subsection(group, "authentication", ConfigValidator.AUTHENTICATION_KEYS);
    if (s == null) {
      return null;
    }
    String allowedTypes = "pass";
    Scalar type = read.scalarText(s, "type", allowedTypes);
    if (type == null) {
      return null;
    }
    String t = type.text().toLowerCase(java.util.Locale.ROOT);
    if (t.equals("ah")) {
      diagnostics.reject(
          type,
          s.path("type"),
          "(IPsec Authentication Header, RFC 2338 §5.3.6.2) is not supported: RFC 3768"
              + " removed it, and keepalived's implementation interoperates with nothing else",
          "pass (keepalived auth_type PASS), or no authentication");
      return null;
    }
    if (!t.equals("pass")) {
      diagnostics.reject(
          type, s.path("type"), "is not an authentication type" + didYouMean(t, TYPES), "pass");
      return null;
    }
    boolean file = s.has("password-file");
    boolean inline = s.has("password");
    if (file == inline) {
      diagnostics.error(
          s.map,
          s.prefix
              + ": "
              + (file ? "both password and password-file" : "no password or password-file")
              + "; allowed: exactly one of password (inline) or password-file (a file)");
      return null;
    }
    if (inline) {
      Scalar value = read.scalarText(s, "password", PASSWORD_ALLOWED);
      if (value == null) {
        return null;
      }
      if (value.kind() != ScalarKind.STRING) {
        diagnostics.reject(value, s.path("password"), "is not a string", PASSWORD_ALLOWED);
        return null;
      }
      return password(value, s.path("password"), value.text().getBytes(StandardCharsets.UTF_8));
    }
    Scalar value = read.scalarText(s, "password-file", "an absolute path to a password file");
    return value == null ? null : passwordFile(value, s.path("password-file"));
  }

  private Optional<SimplePassword> password(ConfigNode at, String path, byte[] bytes) {
    if (bytes.length < 1 || bytes.length > SimplePassword.LENGTH) {
      diagnostics.reject(
          at,
          path,
          "has "
              + bytes.length
              + " bytes; a VRRPv2 password is at most 8 (keepalived would truncate it, Takeover"
              + " does not guess)",
          PASSWORD_ALLOWED);
      Arrays.fill(bytes, (byte) 0);
      return null;
    }
    SimplePassword p = SimplePassword.of(bytes);
    Arrays.fill(bytes, (byte) 0);
    return Optional.of(p);
  }

  private Optional<SimplePassword> passwordFile(Scalar at, String path) {
    Path file = Path.of(at.text());
    String allowed = "an absolute path to a readable file holding " + PASSWORD_ALLOWED;
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
      bytes = in.readNBytes(MAX_PASSWORD_FILE_BYTES + 1);
    } catch (AccessDeniedException e) {
      diagnostics.reject(
          at, path, "cannot be read: permission denied (run check as root?)", allowed);
      return null;
    } catch (IOException e) {
      diagnostics.reject(at, path, "cannot be read: " + e.getMessage(), allowed);
      return null;
    }
    int n = bytes.length;
    // One trailing line end, as editors and `echo` leave it.
    if (n > 0 && bytes[n - 1] == '\n') {
      n--;
      if (n > 0 && bytes[n - 1] == '\r') {
        n--;
      }
    }
    byte[] password = Arrays.copyOf(bytes, Math.min(n, SimplePassword.LENGTH + 1));
    Arrays.fill(bytes, (byte) 0);
    if (n > SimplePassword.LENGTH) {
      Arrays.fill(password, (byte) 0);
      diagnostics.reject(
          at,
          path,
          "holds more than 8 bytes; a VRRPv2 password is at most 8 (keepalived would truncate"
              + " it, Takeover does not guess)",
          allowed);
      return null;
    }
    return password(at, path + " (" + at.text() + ")", password);
  }
}
