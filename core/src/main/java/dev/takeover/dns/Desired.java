package dev.takeover.dns;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one RRset (an owner name and a type) should become. The values are record data as text: an
 * address literal for A/AAAA, a fully qualified name for PTR.
 */
public sealed interface Desired {

  /** The values to put, in a stable order (for logs, the journal and status). */
  Set<String> values();

  /** Whether {@code seen} (what the server holds) already is what this asks for. */
  boolean satisfiedBy(Set<String> seen);

  /**
   * The RRset becomes exactly {@code values}: what a claim asks for (RFC 2136 §2.5.2 + §2.5.1).
   *
   * @param ttl the TTL to write, when not the name's configured one: the lowered TTL ahead of a
   *     planned move ({@link TtlPlan}). Whether a record holds what we want is a matter of its
   *     values only: a read does not compare TTLs, so drift repair never fights over one.
   */
  record Replace(Set<String> values, OptionalInt ttl) implements Desired {
    public Replace {
      values = sorted(values);
      if (values.isEmpty()) {
        throw new IllegalArgumentException("a replacement needs at least one value");
      }
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isPresent() && ttl.getAsInt() < 0) {
        throw new IllegalArgumentException("negative TTL " + ttl.getAsInt());
      }
    }

    /** With the name's configured TTL. */
    public Replace(Set<String> values) {
      this(values, OptionalInt.empty());
    }

    @Override
    public boolean satisfiedBy(Set<String> seen) {
      return values.equals(seen);
    }
  }

  /**
   * {@code values} leave the RRset, whatever else it holds stays (RFC 2136 §2.5.4): what a release
   * with {@code on-release: remove} asks for, so a node never deletes what another one wrote.
   */
  record Remove(Set<String> values) implements Desired {
    public Remove {
      values = sorted(values);
    }

    @Override
    public boolean satisfiedBy(Set<String> seen) {
      return seen.stream().noneMatch(values::contains);
    }
  }

  /** A sorted, unmodifiable copy: two sets with the same values print alike. */
  static Set<String> sorted(Set<String> values) {
    Objects.requireNonNull(values, "values");
    return java.util.Collections.unmodifiableSortedSet(new TreeSet<>(values));
  }
}
