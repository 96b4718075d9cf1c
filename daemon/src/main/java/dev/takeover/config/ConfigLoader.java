package dev.takeover.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a configuration file and checks all of it before anything uses it. The same entry point
 * serves {@code takeover check}, start-up and reload, so they can never disagree. Needs no root
 * privileges and no network: interfaces are checked for a valid name, not for existence. The
 * overloads taking {@link HostFacts} also check the file against this machine ({@code check --host}
 * and {@code run}): see {@link HostRules}.
 *
 * <p>Limits (docs/SECURITY.md): only a regular file is opened, of at most {@link #MAX_FILE_BYTES};
 * it must be UTF-8 (the first invalid byte is reported with its line and column); {@link
 * YamlTreeReader} bounds nesting and the number of values and rejects lone UTF-16 surrogates.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * The largest configuration file read, in bytes (1 MiB). A real one is far smaller (the example
   * group with two checks and five hooks is 1.1 KiB without comments: 255 of them take under 300
   * KiB); the limit keeps a wrong file (a log, an image, a disk) from filling the daemon's 64 MiB
   * heap during a reload.
   */
  public static final int MAX_FILE_BYTES = 1 << 20;

  /** Reads {@code file} as UTF-8 YAML; errors name the file as given. */
  public static ConfigResult load(Path file) {
    return load(file, Optional.empty());
  }

  /** Reads {@code file} and, if it is valid, checks it against {@code host}. */
  public static ConfigResult load(Path file, HostFacts host) {
    return load(file, Optional.of(host));
  }

  private static ConfigResult load(Path file, Optional<HostFacts> host) {
    String source = file.toString();
    byte[] bytes;
    try {
      // Before opening: opening a FIFO blocks until a writer comes, /dev/zero never ends.
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        return unreadable(source, "not a regular file (" + kind(file, attributes) + ")");
      }
      if (attributes.size() > MAX_FILE_BYTES) {
        return unreadable(source, attributes.size() + " bytes, " + TOO_LARGE);
      }
      // At most one byte over the limit, whatever the file does after the check (it may grow).
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      }
    } catch (NoSuchFileException e) {
      return unreadable(source, "no such file");
    } catch (AccessDeniedException e) {
      return unreadable(source, "permission denied");
    } catch (IOException e) {
      return unreadable(source, e.getMessage() == null ? e.toString() : e.getMessage());
    }
    if (bytes.length > MAX_FILE_BYTES) {
      return unreadable(source, "it grew while being read, " + TOO_LARGE);
    }
    String text;
    try {
      text = Utf8.decode(bytes);
    } catch (Utf8.InvalidUtf8Exception e) {
      return new ConfigResult.Invalid(
          List.of(new ConfigError(source, e.line(), e.column(), e.getMessage())));
    }
    return parse(text, source, host);
  }

  private static final String TOO_LARGE =
      "over the limit of " + MAX_FILE_BYTES + " bytes (1 MiB) for a configuration file";

  /** What a path that is not a regular file is, for the error message. */
  private static String kind(Path file, BasicFileAttributes attributes) {
    if (attributes.isDirectory()) {
      return "a directory";
    }
    try {
      // The file-type bits of st_mode (sys/stat.h), where the "unix" view exists (Linux does).
      int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
      return switch (type) {
        case 0010000 -> "a FIFO";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        case 0140000 -> "a socket";
        default -> "not a file";
      };
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "a FIFO, device or socket";
    }
  }

  /** Checks YAML text; {@code sourceName} is what error messages call it. */
  public static ConfigResult parse(String yaml, String sourceName) {
    return parse(yaml, sourceName, Optional.empty());
  }

  /** Checks YAML text, and if it is valid, checks it against {@code host}. */
  public static ConfigResult parse(String yaml, String sourceName, HostFacts host) {
    return parse(yaml, sourceName, Optional.of(host));
  }

  private static ConfigResult parse(String yaml, String sourceName, Optional<HostFacts> host) {
    YamlTreeReader.Outcome read = YamlTreeReader.read(yaml, sourceName);
    if (!read.errors().isEmpty()) {
      // A syntax error (or a second document) leaves no trustworthy tree to validate.
      return new ConfigResult.Invalid(read.errors());
    }
    ConfigResult result = ConfigValidator.validate(read.root(), sourceName);
    if (host.isEmpty() || read.root().isEmpty() || !(result instanceof ConfigResult.Valid valid)) {
      return result;
    }
    // Host rules only on a valid file: they read the validated values, and an invalid file's
    // errors are what the operator must fix first.
    Diagnostics onHost = new Diagnostics(sourceName);
    HostRules.check(read.root().get(), valid.config(), host.get(), onHost);
    if (!onHost.errors().isEmpty()) {
      return new ConfigResult.Invalid(onHost.errors());
    }
    List<ConfigError> warnings = new ArrayList<>(valid.warnings());
    warnings.addAll(onHost.warnings());
    return new ConfigResult.Valid(valid.config(), warnings);
  }

  private static ConfigResult unreadable(String source, String why) {
    return new ConfigResult.Invalid(List.of(new ConfigError(source, 0, 0, "cannot read: " + why)));
  }
}
