package dev.takeover.process;

import java.util.List;
import java.util.Map;

/**
 * A program to run without a shell: {@code argv.get(0)} is the program, the rest its arguments,
 * passed as they are (no word splitting, no globbing, no {@code $VAR}).
 *
 * @param env added to the daemon's environment, overriding variables of the same name
 */
public record Command(List<String> argv, Map<String, String> env) {
  public Command {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    if (argv.isEmpty() || argv.getFirst().isEmpty()) {
      throw new IllegalArgumentException("a command needs a program to run");
    }
  }

  /** The program, for messages. */
  public String program() {
    return argv.getFirst();
  }
}
