package dev.takeover.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads a process's memory and CPU time from {@code /proc}. The parsers take the file's text, so
 * tests feed them fixtures.
 */
public final class ProcFs {
  /** Clock ticks per second of {@code utime}/{@code stime}: USER_HZ, 100 on every Linux port. */
  public static final int USER_HZ = 100;

  private ProcFs() {}

  /** The 1-minute load average, or null when {@code /proc/loadavg} cannot be read. */
  public static Double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** One process's counters at one moment. Memory in KiB, CPU in clock ticks. */
  public record Sample(long pid, long rssKiB, long pssKiB, long cpuTicks) {}

  /** Reads {@code pid}'s counters, or empty when it has exited (or {@code /proc} says nothing). */
  public static java.util.Optional<Sample> read(long pid) {
    Path dir = Path.of("/proc", Long.toString(pid));
    try {
      long rss = vmRssKiB(Files.readString(dir.resolve("status"))).orElse(0);
      long pss = pssKiB(Files.readString(dir.resolve("smaps_rollup"))).orElse(0);
      long cpu = cpuTicks(Files.readString(dir.resolve("stat")));
      return java.util.Optional.of(new Sample(pid, rss, pss, cpu));
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /** CPU clock ticks (utime + stime) of these processes summed; an exited one counts nothing. */
  public static long cpuTicks(List<Long> pids) {
    return pids.stream()
        .map(ProcFs::read)
        .flatMap(java.util.Optional::stream)
        .mapToLong(Sample::cpuTicks)
        .sum();
  }

  /** {@code VmRSS: 12345 kB} in {@code /proc/PID/status}. */
  public static OptionalLong vmRssKiB(String status) {
    return kibField(status, "VmRSS:");
  }

  /** {@code Pss: 1234 kB} in {@code /proc/PID/smaps_rollup}. */
  public static OptionalLong pssKiB(String smapsRollup) {
    return kibField(smapsRollup, "Pss:");
  }

  private static OptionalLong kibField(String text, String key) {
    for (String line : text.split("\n")) {
      if (line.startsWith(key)) {
        String[] parts = line.substring(key.length()).strip().split("\\s+");
        return OptionalLong.of(Long.parseLong(parts[0]));
      }
    }
    return OptionalLong.empty();
  }

  /**
   * utime + stime (fields 14 and 15) of {@code /proc/PID/stat}. The command name (field 2) may hold
   * spaces and parentheses, so fields are counted from the last ')'.
   */
  public static long cpuTicks(String stat) {
    int end = stat.lastIndexOf(')');
    if (end < 0) {
      throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
    }
    // After ") ": field 3 (state) is index 0, so field N is index N - 3.
    String[] fields = stat.substring(end + 2).strip().split("\\s+");
    return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
  }
}
