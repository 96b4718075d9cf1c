package dev.takeover.config;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * The YAML document as a small tree in which every node knows where it was written. Jackson's own
 * tree ({@code JsonNode}) drops locations, and error messages need them.
 */
sealed interface ConfigNode {

  /** 1-based line of the node's first character. */
  int line();

  /** 1-based column of the node's first character. */
  int column();

  /** One {@code key: value} pair; the key's own position is kept for "unknown key" errors. */
  record Entry(String key, int line, int column, ConfigNode value) {}

  /** A mapping, entries in file order, duplicates kept so the validator can report them. */
  record MapNode(int line, int column, List<Entry> entries) implements ConfigNode {
    public MapNode {
      entries = List.copyOf(entries);
    }

    /** The first entry with this key. */
    Optional<Entry> entry(String key) {
      return entries.stream().filter(e -> e.key().equals(key)).findFirst();
    }
  }

  record ListNode(int line, int column, List<ConfigNode> items) implements ConfigNode {
    public ListNode {
      items = List.copyOf(items);
    }
  }

  /** What YAML resolved a scalar to; {@code 51} is an INTEGER, {@code "51"} a STRING. */
  enum ScalarKind {
    STRING,
    INTEGER,
    FLOAT,
    BOOLEAN,
    NULL,
    /** A {@code *name} reference; Jackson's streaming parser does not resolve these. */
    ALIAS
  }

  /**
   * A scalar as written in the file.
   *
   * @param integer the value of an INTEGER scalar ({@code 0x33} and {@code 1_000} included), else
   *     null
   */
  record Scalar(int line, int column, ScalarKind kind, String text, BigInteger integer)
      implements ConfigNode {}
}
