package dev.takeover.control;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The object mapper both ends of the control socket share, in a class of its own so that only what
 * maps objects pays for building it (about 45 ms at start-up): {@link ControlProtocol}'s constants,
 * {@link ControlRequest#toJsonLine} and {@link ControlAnswer} do not.
 */
public final class ControlJson {
  private ControlJson() {}

  /**
   * Lenient on input so an older CLI can read a newer daemon's answers; records serialize by their
   * component names.
   */
  public static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
}
