package dev.takeover.health;

import dev.takeover.clock.Clock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * Healthy when a TCP connection to {@code host:port} completes within the timeout. The connection
 * is closed at once; nothing is sent. The host name, if it is one, is resolved on every probe.
 */
public record TcpCheck(String host, int port, Duration timeout) implements HealthCheck {

  public TcpCheck {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
    HealthCheck.requirePositive(timeout);
  }

  @Override
  public ProbeResult probe(Clock clock) {
    Stopwatch start = Stopwatch.start(clock);
    try (Socket socket = new Socket()) {
      InetSocketAddress address = new InetSocketAddress(host, port);
      if (address.isUnresolved()) {
        return ProbeResult.fail("cannot resolve " + host, start);
      }
      socket.connect(address, timeoutMillis());
      return ProbeResult.pass(
          "connected to " + address.getAddress().getHostAddress() + ":" + port, start);
    } catch (SocketTimeoutException e) {
      return ProbeResult.fail("connect timed out after " + timeout.toMillis() + " ms", start);
    } catch (IOException | RuntimeException e) {
      return ProbeResult.fail("connect failed", e, start);
    }
  }

  private int timeoutMillis() {
    return Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE);
  }

  @Override
  public String target() {
    return "tcp " + host + ":" + port;
  }
}
