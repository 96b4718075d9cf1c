package dev.takeover.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for misspelt keys and values. */
final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate {@code wrong} was most likely meant to be: the same key in another spelling
   * convention ({@code advert_interval}, {@code advertInterval}), or one within two typing
   * mistakes.
   */
  static Optional<String> closest(String wrong, List<String> candidates) {
    String normalized = kebab(wrong);
    for (String c : candidates) {
      if (c.equals(normalized)) {
        return Optional.of(c);
      }
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(normalized, c);
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    // Short words are one or two edits away from anything; only suggest what is plausibly a typo.
    int limit = Math.min(2, Math.max(1, normalized.length() / 3));
    return bestDistance <= limit ? Optional.of(best) : Optional.empty();
  }

  /** {@code advertInterval} and {@code Advert_Interval} both become {@code advert-interval}. */
  static String kebab(String s) {
    return s.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replace('_', '-').toLowerCase(Locale.ROOT);
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions, transpositions. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
