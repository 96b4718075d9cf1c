package dev.takeover.keepalived;

/** keepalived.conf that cannot be read: where, and why. */
public final class ConfSyntaxException extends Exception {
  private final String file;
  private final int line;

  public ConfSyntaxException(String file, int line, String message) {
    super(message);
    this.file = file;
    this.line = line;
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  /** {@code file:line: message}, or {@code file: message} when no line applies. */
  public String located() {
    return (line > 0 ? file + ":" + line : file) + ": " + getMessage();
  }
}
