package dev.takeover.config;

import java.util.Objects;

/**
 * A file whose integer content adjusts the group's priority (keepalived's {@code track_file}): see
 * {@code vrrp.TrackFileRule} for what the value does.
 *
 * @param path absolute path of the file, read every {@code TrackFilePoller} interval
 * @param weight -254..254; 0 makes any non-zero value a fault (keepalived's default is 1)
 * @param reverse multiply by minus the weight (keepalived's {@code weight W reverse})
 */
public record TrackFile(String path, int weight, boolean reverse) {
  public static final int DEFAULT_WEIGHT = 1;

  public TrackFile {
    Objects.requireNonNull(path, "path");
    if (weight < Weight.MIN_DELTA || weight > Weight.MAX_DELTA) {
      throw new IllegalArgumentException("weight " + weight + " outside -254..254");
    }
  }
}
