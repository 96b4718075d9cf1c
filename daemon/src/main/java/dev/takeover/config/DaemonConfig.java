package dev.takeover.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Process-wide settings.
 *
 * @param realtimePriority 0 for normal scheduling; 1..99 runs the advert sender and receiver
 *     threads with SCHED_FIFO at this priority (needs CAP_SYS_NICE), like keepalived's {@code
 *     vrrp_rt_priority}
 * @param stateDir where the daemon keeps its runtime state (socket, state files)
 * @param logLevel how much the {@code takeover} log categories say; changeable by reload; the
 *     environment variable {@code TAKEOVER_LOG_LEVEL} overrides it
 */
public record DaemonConfig(int realtimePriority, Path stateDir, LogLevel logLevel) {

  // On by default: under CPU load normal scheduling delays adverts past Master_Down_Interval at
  // 10 ms intervals (bench/: false failovers). 10 stays below the kernel's threaded IRQs (50).
  public static final int DEFAULT_REALTIME_PRIORITY = 10;
  public static final Path DEFAULT_STATE_DIR = Path.of("/run/takeover");
  public static final LogLevel DEFAULT_LOG_LEVEL = LogLevel.INFO;

  /** The values used when the {@code daemon} section is left out. */
  public static final DaemonConfig DEFAULTS =
      new DaemonConfig(DEFAULT_REALTIME_PRIORITY, DEFAULT_STATE_DIR, DEFAULT_LOG_LEVEL);

  public DaemonConfig {
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(logLevel, "logLevel");
  }

  /** With the default log level. */
  public DaemonConfig(int realtimePriority, Path stateDir) {
    this(realtimePriority, stateDir, DEFAULT_LOG_LEVEL);
  }

  /** Whether the packet threads should run with SCHED_FIFO. */
  public boolean realtime() {
    return realtimePriority > 0;
  }
}
