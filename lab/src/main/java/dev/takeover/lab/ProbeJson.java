package dev.takeover.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/** One {@link ProbeEvent} per line of JSON, both ways. */
public final class ProbeJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private ProbeJson() {}

  public static String line(ProbeEvent event) {
    try {
      return MAPPER.writerFor(ProbeEvent.class).writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + event, e);
    }
  }

  /** The event on {@code line}, or empty if the line is not one (e.g. a JVM warning on stderr). */
  public static Optional<ProbeEvent> parse(String line) {
    String s = line.strip();
    if (!s.startsWith("{\"type\"")) {
      return Optional.empty();
    }
    try {
      return Optional.of(MAPPER.readValue(s, ProbeEvent.class));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
