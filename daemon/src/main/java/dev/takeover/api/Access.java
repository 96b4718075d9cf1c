package dev.takeover.api;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call what (docs/API.md, "Auth"): the dashboard's assets, {@code /healthz} and {@code
 * /readyz} are open; reads are open to loopback clients and need the token from anywhere else;
 * every change needs the token. The token is compared in constant time.
 */
public final class Access {
  /** What a path needs. */
  public enum Need {
    OPEN,
    READ,
    CHANGE
  }

  static final int MIN_TOKEN_LENGTH = 16;

  private final Optional<String> token;

  public Access(Optional<String> token) {
    this.token = token;
  }

  /** No token: read-only and loopback-only. */
  public static Access none() {
    return new Access(Optional.empty());
  }

  /**
   * Reads the token: the file's first line, trimmed. The file must belong to the daemon's user and
   * be readable by nobody else (a token readable by others is no secret), and hold at least {@value
   * #MIN_TOKEN_LENGTH} characters.
   *
   * @throws IOException with the reason when the file is unusable
   */
  public static Access fromFile(Path file) throws IOException {
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
    for (PosixFilePermission p : mode) {
      if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
        throw new IOException(
            file + " is readable or writable by others (mode must be 0600 or 0400)");
      }
    }
    if (!Files.getOwner(file).equals(Files.getOwner(Path.of("/proc/self")))) {
      throw new IOException(file + " does not belong to the daemon's user");
    }
    String text = Files.readString(file, StandardCharsets.UTF_8).strip();
    int newline = text.indexOf('\n');
    String first = (newline < 0 ? text : text.substring(0, newline)).strip();
    if (first.length() < MIN_TOKEN_LENGTH) {
      throw new IOException(
          file + ": the token is shorter than " + MIN_TOKEN_LENGTH + " characters");
    }
    return new Access(Optional.of(first));
  }

  Optional<String> token() {
    return token;
  }

  /** The token, for asking peers (the cluster shares one token). */
  public Optional<String> tokenValue() {
    return token;
  }

  /** Throws an {@link ApiServer.HttpError} (401, 403) unless the client may go ahead. */
  void check(Need need, InetAddress client, Headers headers) {
    if (need == Need.OPEN) {
      return;
    }
    boolean loopback = client != null && client.isLoopbackAddress();
    if (need == Need.READ && loopback) {
      return;
    }
    String header = headers.getFirst("Authorization");
    if (token.isEmpty()) {
      throw new ApiServer.HttpError(
          403,
          need == Need.CHANGE
              ? "changes over HTTP are off: this node has no api.token-file"
              : "only loopback clients may read: this node has no api.token-file");
    }
    if (header == null) {
      throw new ApiServer.HttpError(
          401,
          "a bearer token is required ("
              + (need == Need.CHANGE ? "every change" : "a client that is not on loopback")
              + ")",
          Map.of("WWW-Authenticate", "Bearer realm=\"takeover\""));
    }
    if (!header.startsWith("Bearer ")
        || !MessageDigest.isEqual(
            header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8),
            token.get().getBytes(StandardCharsets.UTF_8))) {
      throw new ApiServer.HttpError(403, "wrong token");
    }
  }
}
