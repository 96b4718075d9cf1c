package dev.takeover.dns;

import java.util.Set;

/** What the server said to one attempt, as the effect that sent it read the answer. */
public sealed interface Outcome {

  /** The update was applied (NOERROR, TSIG verified): the RRset now holds {@code values}. */
  record Confirmed(Set<String> values) implements Outcome {
    public Confirmed {
      values = Desired.sorted(values);
    }
  }

  /** A read answered: the RRset holds {@code values} (empty: none). */
  record Observed(Set<String> values) implements Outcome {
    public Observed {
      values = Desired.sorted(values);
    }
  }

  /**
   * A prerequisite failed (YXRRSET/NXRRSET, RFC 2136 §3.2.5): the RRset was not what we last saw;
   * {@code found} is what a read right after found there.
   */
  record Conflict(Set<String> found) implements Outcome {
    public Conflict {
      found = Desired.sorted(found);
    }
  }

  /** No usable answer: a timeout, a refusal, a TSIG error (BADSIG, BADKEY, BADTIME), ... */
  record Failed(String error) implements Outcome {}
}
