package dev.takeover.links;

/** A node-link path's state, as {@link PathMonitor} decides it. */
public enum PathStatus {
  /** Since start, before goods-to-recover answers or misses-to-fail misses. */
  STARTING,
  UP,
  DOWN
}
