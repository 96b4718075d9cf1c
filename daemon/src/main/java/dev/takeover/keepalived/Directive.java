package dev.takeover.keepalived;

import java.util.List;

/**
 * One keepalived statement: a keyword, its arguments (quotes removed), and the statements of its
 * block if it opens one ({@code vrrp_instance VI_1 { ... }}); a line inside a list block ({@code
 * 192.168.0.10/24 dev eth1}) is a directive too, whose keyword is its first word.
 *
 * @param block the statements inside {@code { }}, or null if the statement opens no block
 * @param file the file it was read from, as the include that named it resolved it
 * @param line its line in that file, from 1
 */
public record Directive(
    String keyword, List<String> args, List<Directive> block, String file, int line) {

  public Directive {
    args = List.copyOf(args);
    block = block == null ? null : List.copyOf(block);
  }

  /** The first argument, or null. */
  String arg() {
    return args.isEmpty() ? null : args.getFirst();
  }

  /** The keyword and its arguments as written, for the report (without quotes). */
  String text() {
    return args.isEmpty() ? keyword : keyword + " " + String.join(" ", args);
  }
}
