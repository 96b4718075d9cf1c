package dev.takeover.hook;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One command an operator configured, run without a shell: {@code argv.get(0)} is the program, the
 * rest are its arguments, passed as they are (no word splitting, no globbing, no {@code $VAR}).
 *
 * @param name how logs and the journal call this hook (e.g. {@code web/after-claim})
 * @param env added to the daemon's environment; names starting {@code TAKEOVER_} are reserved
 * @param timeout after this the hook and every process it started are terminated, then killed
 */
public record HookSpec(String name, List<String> argv, Map<String, String> env, Duration timeout) {
  public HookSpec {
    Objects.requireNonNull(name, "name");
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    Objects.requireNonNull(timeout, "timeout");
    if (argv.isEmpty() || argv.get(0).isEmpty()) {
      throw new IllegalArgumentException("hook " + name + ": the command is empty");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("hook " + name + ": timeout must be positive: " + timeout);
    }
    for (String key : env.keySet()) {
      if (key.startsWith(HookEnvironment.RESERVED_PREFIX)) {
        throw new IllegalArgumentException("hook " + name + ": env name " + key + " is reserved");
      }
    }
  }

  public HookSpec(String name, List<String> argv, Duration timeout) {
    this(name, argv, Map.of(), timeout);
  }
}
