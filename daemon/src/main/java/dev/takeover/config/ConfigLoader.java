package dev.takeover.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a configuration file and checks all of it before anything uses it. The same entry point
 * serves {@code takeover check}, start-up and reload, so they can never disagree. Needs no root
 * privileges and no network: interfaces are checked for a valid name, not for existence. The
 * overloads taking {@link HostFacts} also check the file against this machine ({@code check --host}
 * and {@code run}): see {@link HostRules}.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

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
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return unreadable(source, "no such file");
    } catch (AccessDeniedException e) {
      return unreadable(source, "permission denied");
    } catch (IOException e) {
      return unreadable(source, e.getMessage() == null ? e.toString() : e.getMessage());
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return unreadable(source, "not valid UTF-8");
    }
    return parse(text, source, host);
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
