package dev.takeover.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a configuration file and checks all of it before anything uses it. The same entry point
 * serves {@code takeover check}, start-up and reload, so they can never disagree. Needs no root
 * privileges and no network: interfaces are checked for a valid name, not for existence.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /** Reads {@code file} as UTF-8 YAML; errors name the file as given. */
  public static ConfigResult load(Path file) {
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
    return parse(text, source);
  }

  /** Checks YAML text; {@code sourceName} is what error messages call it. */
  public static ConfigResult parse(String yaml, String sourceName) {
    YamlTreeReader.Outcome read = YamlTreeReader.read(yaml, sourceName);
    if (!read.errors().isEmpty()) {
      // A syntax error (or a second document) leaves no trustworthy tree to validate.
      return new ConfigResult.Invalid(read.errors());
    }
    return ConfigValidator.validate(read.root(), sourceName);
  }

  private static ConfigResult unreadable(String source, String why) {
    return new ConfigResult.Invalid(List.of(new ConfigError(source, 0, 0, "cannot read: " + why)));
  }
}
