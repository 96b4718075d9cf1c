package dev.takeover.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * picocli's programmatic API, for the launcher itself and the commands that must start fast: {@code
 * run}, {@code status}, {@code check} and {@code version}. Reading a command's annotations makes
 * the JDK generate a proxy class per annotation type, picocli's and the JDK's meta-annotations
 * alike (six for {@code takeover version}), which cost about 55 ms of every start
 * (docs/DECISIONS.md 73). The other commands keep picocli's annotations; both kinds sit in one
 * command tree.
 */
final class Specs {
  private Specs() {}

  /**
   * A command that runs {@code body}, with {@code -h}/{@code --help} and {@code -V}/{@code
   * --version} as {@code mixinStandardHelpOptions} gives annotated commands (whose mixin is itself
   * annotated, so it is not used here).
   */
  static CommandSpec command(String name, Callable<Integer> body, String... description) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(body);
    spec.name(name);
    spec.usageMessage().description(description);
    spec.versionProvider(new VersionCommand.Provider());
    spec.addOption(
        OptionSpec.builder("-h", "--help")
            .usageHelp(true)
            .description("Show this help message and exit.")
            .build());
    spec.addOption(
        OptionSpec.builder("-V", "--version")
            .versionHelp(true)
            .description("Print version information and exit.")
            .build());
    return spec;
  }

  /** A boolean option that is true when given. */
  static OptionSpec flag(String description, String... names) {
    return OptionSpec.builder(names).type(boolean.class).description(description).build();
  }

  /** An option with one value of {@code type}, shown as {@code label} in the usage. */
  static OptionSpec option(Class<?> type, String label, String description, String... names) {
    return OptionSpec.builder(names).type(type).paramLabel(label).description(description).build();
  }

  /** An optional positional parameter of {@code type}. */
  static PositionalParamSpec optionalParameter(Class<?> type, String label, String description) {
    return PositionalParamSpec.builder()
        .type(type)
        .arity("0..1")
        .paramLabel(label)
        .description(description)
        .build();
  }

  /** The value the command line gave the option {@code name}, or null when it gave none. */
  static <T> T value(CommandSpec spec, String name, Class<T> type) {
    return type.cast(spec.findOption(name).getValue());
  }

  /** Whether the command line gave the flag {@code name}. */
  static boolean given(CommandSpec spec, String name) {
    return Boolean.TRUE.equals(spec.findOption(name).getValue());
  }
}
