package dev.takeover.keepalived;

import dev.takeover.keepalived.ReportEntry.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads keepalived.conf into {@link Directive}s, as keepalived's own parser does
 * (keepalived.conf(5) "DESCRIPTION", "Quoted strings", "Conditional configuration", "Parameter
 * substitution"): comments from {@code #} or {@code !} to the end of the line, words separated by
 * white space, {@code "} and {@code '} quoting with shell-like escapes, {@code {} and {@code }} as
 * words of their own, a {@code \} at the end of a line continuing it, and {@code include} (and its
 * variants) with glob patterns, relative to the including file's directory.
 *
 * <p>Implementation notes. It reads nothing itself: files come through {@link ConfFiles}, so tests
 * feed strings. Two passes: the lexer turns every file, includes spliced in where they are named,
 * into one stream of words with their file and line and an end-of-line mark (keepalived is
 * line-oriented: a statement ends at the end of its line, or at a brace); the parser builds blocks
 * from it. Everything is bounded: include depth, files, bytes, words and block nesting, so a
 * hostile or broken file gives an error with its place, never a stack overflow or an endless read.
 * Conditional lines ({@code @ID ...}) are read as keepalived without {@code -i} reads them; simple
 * one-line parameters ({@code $NAME=value}) are substituted.
 */
public final class ConfReader {

  /** The largest file read (1 MiB, the limit of a Takeover configuration). */
  public static final int MAX_FILE_BYTES = 1 << 20;

  /** How deep includes may nest; deeper is an error (an include loop ends here). */
  public static final int MAX_INCLUDE_DEPTH = 8;

  static final int MAX_FILES = 256;
  static final long MAX_TOTAL_BYTES = 16L << 20;
  static final int MAX_WORDS = 1_000_000;
  static final int MAX_BLOCK_DEPTH = 32;

  /** The directives of the whole configuration, and what the reader itself has to report. */
  public record Parsed(List<Directive> directives, List<ReportEntry> notes) {}

  private enum Kind {
    WORD,
    OPEN,
    CLOSE,
    END
  }

  private record Token(Kind kind, String text, String file, int line) {}

  private static final Pattern INCLUDE = Pattern.compile("include[rmwba]?");
  private static final Pattern DEFINITION = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)=(.*)");
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)(?=\\s|$)");

  private final ConfFiles files;
  private final List<Token> tokens = new ArrayList<>();
  private final List<ReportEntry> notes = new ArrayList<>();
  private final Map<String, String> parameters = new LinkedHashMap<>();
  private int fileCount;
  private long totalBytes;
  private int pos;

  private ConfReader(ConfFiles files) {
    this.files = files;
  }

  /** Reads {@code path} (absolute) and everything it includes. */
  public static Parsed read(ConfFiles files, String path) throws ConfSyntaxException {
    ConfReader reader = new ConfReader(files);
    reader.lexFile(path, null, 0, 0);
    List<Directive> top = reader.block(null, 0);
    return new Parsed(top, List.copyOf(reader.notes));
  }

  // ---- lexer -----------------------------------------------------------------------------------

  private void lexFile(String path, String fromFile, int fromLine, int depth)
      throws ConfSyntaxException {
    if (depth > MAX_INCLUDE_DEPTH) {
      throw new ConfSyntaxException(
          fromFile,
          fromLine,
          "includes nested more than " + MAX_INCLUDE_DEPTH + " deep (does a file include itself?)");
    }
    if (++fileCount > MAX_FILES) {
      throw new ConfSyntaxException(
          fromFile, fromLine, "more than " + MAX_FILES + " files included in all");
    }
    String text;
    try {
      text = files.read(path);
    } catch (IOException e) {
      String why = "cannot read " + path + ": " + e.getMessage();
      throw fromFile == null
          ? new ConfSyntaxException(path, 0, "cannot read: " + e.getMessage())
          : new ConfSyntaxException(fromFile, fromLine, why);
    }
    totalBytes += text.length();
    if (totalBytes > MAX_TOTAL_BYTES) {
      throw new ConfSyntaxException(
          fromFile == null ? path : fromFile,
          fromLine,
          "more than " + (MAX_TOTAL_BYTES >> 20) + " MiB of configuration in all");
    }
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      StringBuilder logical = new StringBuilder(lines[i]);
      while (endsWithContinuation(logical) && i + 1 < lines.length) {
        logical.setLength(logical.toString().stripTrailing().length() - 1);
        logical.append(' ').append(lines[++i]);
      }
      lexLine(logical.toString(), path, lineNo, depth);
    }
  }

  private static boolean endsWithContinuation(CharSequence line) {
    String s = line.toString().stripTrailing();
    return s.endsWith("\\") && !s.endsWith("\\\\");
  }

  private void lexLine(String raw, String file, int line, int depth) throws ConfSyntaxException {
    String text = raw.strip();
    if (text.startsWith("@")) {
      // Conditional configuration: "@ID rest" is read only by `keepalived -i ID`, "@^ID rest" by
      // every other run. The import reads the file as a keepalived started without -i would.
      int space = firstSpace(text);
      boolean negated = text.startsWith("@^");
      String id = text.substring(negated ? 2 : 1, space);
      notes.add(
          new ReportEntry(
              file,
              line,
              Status.APPROXIMATED,
              text,
              "",
              negated
                  ? "conditional line, read as keepalived without -i reads it"
                  : "conditional line for `keepalived -i "
                      + id
                      + "`, skipped as keepalived"
                      + " without -i skips it; import a copy with the lines you run resolved"));
      if (!negated) {
        return;
      }
      text = text.substring(space).strip();
    }
    Matcher definition = DEFINITION.matcher(text);
    if (definition.matches()) {
      parameters.put(definition.group(1), definition.group(2).strip());
      notes.add(
          new ReportEntry(
              file, line, Status.MAPPED, text, "", "parameter, substituted where it is used"));
      return;
    }
    if (!parameters.isEmpty() && text.indexOf('$') >= 0) {
      text = substitute(text, file, line);
    }
    List<Token> words = tokenize(text, file, line);
    if (words.isEmpty()) {
      return;
    }
    Token first = words.getFirst();
    if (first.kind() == Kind.WORD && INCLUDE.matcher(first.text()).matches()) {
      include(words, file, line, depth);
      return;
    }
    if (tokens.size() + words.size() > MAX_WORDS) {
      throw new ConfSyntaxException(file, line, "more than " + MAX_WORDS + " words in all");
    }
    tokens.addAll(words);
    tokens.add(new Token(Kind.END, "", file, line));
  }

  private static int firstSpace(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return text.length();
  }

  /**
   * keepalived's substitution: {@code ${NAME}} anywhere, {@code $NAME} before white space or the
   * end; recursive (a value may name another parameter), here at most {@link #MAX_SUBSTITUTIONS}
   * rounds, so {@code $A=$A} ends; an undefined name stays as written.
   */
  private String substitute(String text, String file, int line) throws ConfSyntaxException {
    String before = text;
    for (int round = 0; round < MAX_SUBSTITUTIONS; round++) {
      String after = substituteOnce(before, file, line);
      if (after.equals(before)) {
        return after;
      }
      before = after;
    }
    return before;
  }

  private static final int MAX_SUBSTITUTIONS = 16;

  /** The longest line parameters may make (64 KiB): values naming themselves grow fast. */
  static final int MAX_LINE = 1 << 16;

  private String substituteOnce(String text, String file, int line) throws ConfSyntaxException {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      String value = parameters.get(name);
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
      if (out.length() > MAX_LINE) {
        throw new ConfSyntaxException(
            file, line, "parameters make this line longer than " + MAX_LINE + " characters");
      }
    }
    m.appendTail(out);
    return out.toString();
  }

  private void include(List<Token> words, String file, int line, int depth)
      throws ConfSyntaxException {
    String keyword = words.getFirst().text();
    if (words.size() < 2 || words.get(1).kind() != Kind.WORD) {
      throw new ConfSyntaxException(file, line, keyword + " needs a file name or pattern");
    }
    String pattern = words.get(1).text();
    String resolved = normalize(pattern.startsWith("/") ? pattern : directory(file) + pattern);
    List<String> matches;
    try {
      matches = files.glob(resolved);
    } catch (IOException e) {
      throw new ConfSyntaxException(file, line, keyword + " " + pattern + ": " + e.getMessage());
    }
    String text = keyword + " " + pattern;
    if (matches.isEmpty()) {
      notes.add(
          new ReportEntry(
              file,
              line,
              Status.NOT_MAPPED,
              text,
              "",
              "no file matches " + resolved + ", so nothing was read (keepalived skips it too)"));
      return;
    }
    notes.add(
        new ReportEntry(file, line, Status.MAPPED, text, "", "read " + String.join(", ", matches)));
    for (String match : matches) {
      lexFile(match, file, line, depth + 1);
    }
  }

  /** {@code /etc/keepalived/conf.d/../x.conf} as {@code /etc/keepalived/x.conf}, textually. */
  static String normalize(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.removeLast();
        }
      } else {
        parts.add(part);
      }
    }
    return (path.startsWith("/") ? "/" : "") + String.join("/", parts);
  }

  private static String directory(String file) {
    int slash = file.lastIndexOf('/');
    return slash < 0 ? "" : file.substring(0, slash + 1);
  }

  /** The words of one line: braces are words of their own; quotes group and are removed. */
  private static List<Token> tokenize(String s, String file, int line) throws ConfSyntaxException {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      if (c == '#' || c == '!') {
        break;
      }
      if (c == '{' || c == '}') {
        out.add(new Token(c == '{' ? Kind.OPEN : Kind.CLOSE, String.valueOf(c), file, line));
        i++;
        continue;
      }
      StringBuilder word = new StringBuilder();
      while (i < n) {
        c = s.charAt(i);
        if (Character.isWhitespace(c) || c == '{' || c == '}' || c == '#' || c == '!') {
          break;
        }
        if (c == '"' || c == '\'') {
          i = quoted(s, i, word, file, line);
        } else {
          word.append(c);
          i++;
        }
      }
      out.add(new Token(Kind.WORD, word.toString(), file, line));
    }
    return out;
  }

  /** Appends the quoted string starting at {@code start}; returns the index after its end. */
  private static int quoted(String s, int start, StringBuilder word, String file, int line)
      throws ConfSyntaxException {
    char quote = s.charAt(start);
    int i = start + 1;
    while (i < s.length() && s.charAt(i) != quote) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        i = escape(s, i + 1, word);
      } else {
        word.append(c);
        i++;
      }
    }
    if (i >= s.length()) {
      throw new ConfSyntaxException(
          file,
          line,
          "the string started with "
              + quote
              + " at column "
              + (start + 1)
              + " is not closed on its line");
    }
    return i + 1;
  }

  /** keepalived's escapes inside quotes (keepalived.conf(5) "Quoted strings"). */
  private static int escape(String s, int i, StringBuilder word) {
    char c = s.charAt(i);
    switch (c) {
      case 'a' -> word.append('\u0007');
      case 'b' -> word.append('\b');
      case 'E' -> word.append('\u001b');
      case 'f' -> word.append('\f');
      case 'n' -> word.append('\n');
      case 'r' -> word.append('\r');
      case 't' -> word.append('\t');
      case 'v' -> word.append('\u000b');
      case 'c' -> {
        if (i + 1 < s.length()) {
          word.append((char) (s.charAt(i + 1) & 0x1f));
          return i + 2;
        }
        word.append(c);
      }
      case 'x' -> {
        int end = i + 1;
        while (end < s.length() && end < i + 3 && Character.digit(s.charAt(end), 16) >= 0) {
          end++;
        }
        if (end == i + 1) {
          word.append(c);
        } else {
          word.append((char) Integer.parseInt(s.substring(i + 1, end), 16));
          return end;
        }
      }
      default -> {
        if (c >= '0' && c <= '7') {
          int end = i;
          while (end < s.length() && end < i + 3 && s.charAt(end) >= '0' && s.charAt(end) <= '7') {
            end++;
          }
          word.append((char) Integer.parseInt(s.substring(i, end), 8));
          return end;
        }
        word.append(c);
      }
    }
    return i + 1;
  }

  // ---- parser ----------------------------------------------------------------------------------

  /** The statements up to the {@code }} closing {@code opener}, or to the end for the top. */
  private List<Directive> block(Token opener, int depth) throws ConfSyntaxException {
    List<Directive> out = new ArrayList<>();
    while (pos < tokens.size()) {
      Token t = tokens.get(pos);
      switch (t.kind()) {
        case END -> pos++;
        case CLOSE -> {
          if (opener == null) {
            throw new ConfSyntaxException(t.file(), t.line(), "'}' closes no open block");
          }
          pos++;
          return out;
        }
        case OPEN ->
            throw new ConfSyntaxException(
                t.file(), t.line(), "'{' opens a block without a keyword before it");
        case WORD -> out.add(statement(t, depth));
      }
    }
    if (opener != null) {
      throw new ConfSyntaxException(
          opener.file(),
          opener.line(),
          "the block opened here is never closed: '}' missing before the end of the configuration");
    }
    return out;
  }

  private Directive statement(Token keyword, int depth) throws ConfSyntaxException {
    pos++;
    List<String> args = new ArrayList<>();
    while (pos < tokens.size() && tokens.get(pos).kind() == Kind.WORD) {
      args.add(tokens.get(pos++).text());
    }
    // The block may open on the statement's line or, first on its own, on a later one.
    int look = pos;
    while (look < tokens.size() && tokens.get(look).kind() == Kind.END) {
      look++;
    }
    List<Directive> sub = null;
    if (look < tokens.size() && tokens.get(look).kind() == Kind.OPEN) {
      Token open = tokens.get(look);
      if (depth + 1 > MAX_BLOCK_DEPTH) {
        throw new ConfSyntaxException(
            open.file(), open.line(), "blocks nested more than " + MAX_BLOCK_DEPTH + " deep");
      }
      pos = look + 1;
      sub = block(open, depth + 1);
    }
    return new Directive(keyword.text(), args, sub, keyword.file(), keyword.line());
  }
}
