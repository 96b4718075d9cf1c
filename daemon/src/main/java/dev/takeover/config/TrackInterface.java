package dev.takeover.config;

import java.util.Objects;

/**
 * An interface whose link state a group follows, besides its own: while the link is down, {@code
 * weight} applies to the group.
 */
public record TrackInterface(String interfaceName, Weight weight) {
  public TrackInterface {
    Objects.requireNonNull(interfaceName, "interfaceName");
    Objects.requireNonNull(weight, "weight");
  }
}
