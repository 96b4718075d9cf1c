package dev.takeover.platform;

/** A failed system call, named, with its errno. */
public final class NativeException extends RuntimeException {
  private final String call;
  private final int errno;

  public NativeException(String call, int errno, String message) {
    super(call + ": " + message + " (errno " + errno + ")");
    this.call = call;
    this.errno = errno;
  }

  public String call() {
    return call;
  }

  public int errno() {
    return errno;
  }
}
