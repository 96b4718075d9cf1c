package dev.takeover.platform;

import java.lang.foreign.Arena;

/**
 * A socket descriptor and the native memory its calls use, closed together and only once. A socket
 * registered with the {@link SocketPoller} is closed by the loop, after it stopped polling it.
 */
abstract class NativeSocket implements AutoCloseable {
  protected final int fd;
  protected final Arena arena = Arena.ofShared();
  protected boolean closed; // guarded by this

  protected NativeSocket(int fd) {
    this.fd = fd;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      Libc.close(fd);
      arena.close();
    }
  }
}
