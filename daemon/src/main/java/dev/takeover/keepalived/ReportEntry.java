package dev.takeover.keepalived;

/**
 * What the import did with one keepalived directive.
 *
 * @param directive the directive as written, with its block path ({@code vrrp_instance VI_1 >
 *     priority 150}); secrets are masked
 * @param takeover the Takeover key it became or will become ({@code groups[0].priority: 150}), or
 *     empty
 * @param note why it is approximated or not mapped, or empty
 */
public record ReportEntry(
    String file, int line, Status status, String directive, String takeover, String note) {

  /** Whether a directive has a Takeover equivalent, and how close. */
  public enum Status {
    /** Same behaviour. */
    MAPPED("mapped"),
    /** Mapped to the nearest Takeover setting, or built into Takeover; the note says the gap. */
    APPROXIMATED("approximated"),
    /**
     * Takeover will have the key (issue 14); left out of the YAML until the validator accepts it.
     */
    NOT_YET("not yet supported"),
    /** No Takeover equivalent: left out. */
    NOT_MAPPED("not mapped");

    public final String label;

    Status(String label) {
      this.label = label;
    }
  }

  /** {@code file:line: status: directive -> key (note)}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    s.append(file).append(':').append(line).append(": ").append(status.label).append(": ");
    s.append(directive);
    if (!takeover.isEmpty()) {
      s.append(" -> ").append(takeover);
    }
    if (!note.isEmpty()) {
      s.append(" (").append(note).append(')');
    }
    return s.toString();
  }
}
