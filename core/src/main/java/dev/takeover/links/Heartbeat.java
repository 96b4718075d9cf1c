package dev.takeover.links;

import java.util.Objects;

/**
 * One node-link packet, decoded and authenticated.
 *
 * @param kind inquiry, answer or notice
 * @param sequence the sender's sequence number: one counter per sender across all its paths, always
 *     growing (the replay window, {@link ReplayWindow}, keys on it)
 * @param echo for an answer, the sequence of the inquiry it answers; 0 otherwise
 * @param summary the sender's name, configuration hash and groups
 */
public record Heartbeat(Kind kind, long sequence, long echo, NodeSummary summary) {
  public Heartbeat {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(summary, "summary");
  }

  /** What a packet asks of its receiver. */
  public enum Kind {
    /** Sent every interval on every path; the receiver answers on the path it came in on. */
    INQUIRY(1),
    /** The answer to an inquiry; its {@code echo} names the inquiry, so the sender measures RTT. */
    ANSWER(2),
    /**
     * Sent out of schedule on every path when a group's state changes (a FAULT at a link-down,
     * say), so peers learn at once; never answered and never counted as an inquiry.
     */
    NOTICE(3);

    final int code;

    Kind(int code) {
      this.code = code;
    }

    static Kind of(int code) {
      return switch (code) {
        case 1 -> INQUIRY;
        case 2 -> ANSWER;
        case 3 -> NOTICE;
        default -> null;
      };
    }
  }
}
