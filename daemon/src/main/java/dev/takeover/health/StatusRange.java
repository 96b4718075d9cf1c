package dev.takeover.health;

/**
 * The HTTP status codes a check accepts, inclusive: {@code 200}, or {@code 200-399}.
 *
 * @param min the lowest accepted status, 100..599
 * @param max the highest accepted status, {@code min}..599
 */
public record StatusRange(int min, int max) {

  /** Any 2xx or 3xx: the server answered and did not report an error. */
  public static final StatusRange SUCCESS_OR_REDIRECT = new StatusRange(200, 399);

  public StatusRange {
    if (min < 100 || max > 599 || min > max) {
      throw new IllegalArgumentException("status range must lie within 100..599 with min <= max");
    }
  }

  /** Parses {@code "200"} or {@code "200-399"}. */
  public static StatusRange parse(String text) {
    String[] parts = text.strip().split("-", -1);
    try {
      return switch (parts.length) {
        case 1 -> new StatusRange(Integer.parseInt(parts[0]), Integer.parseInt(parts[0]));
        case 2 ->
            new StatusRange(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
        default -> throw new IllegalArgumentException("not a status or status range: " + text);
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a status or status range: " + text, e);
    }
  }

  public boolean contains(int status) {
    return status >= min && status <= max;
  }

  @Override
  public String toString() {
    return min == max ? Integer.toString(min) : min + "-" + max;
  }
}
