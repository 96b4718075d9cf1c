package dev.takeover.daemon;

import dev.takeover.config.CheckConfig;
import dev.takeover.config.CheckTarget;
import dev.takeover.config.GroupConfig;
import dev.takeover.health.CheckSchedule;
import dev.takeover.health.CheckState;
import dev.takeover.health.DhcpCheck;
import dev.takeover.health.DnsCheck;
import dev.takeover.health.HealthCheck;
import dev.takeover.health.HttpCheck;
import dev.takeover.health.ScriptCheck;
import dev.takeover.health.StatusRange;
import dev.takeover.health.TcpCheck;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

/** Turns a validated check configuration into a runnable check and its schedule. */
final class HealthChecks {
  private HealthChecks() {}

  /** Schedules are named {@code group/check}, unique across the daemon. */
  static CheckSchedule schedule(GroupConfig group, CheckConfig c) {
    return new CheckSchedule(
        group.name() + "/" + c.name(),
        check(group, c),
        c.interval(),
        c.rise(),
        c.fall(),
        CheckState.UNKNOWN);
  }

  /** A DHCP check without an interface asks from the group's own interface. */
  static HealthCheck check(GroupConfig group, CheckConfig c) {
    return switch (c.target()) {
      case CheckTarget.Tcp t -> new TcpCheck(t.host(), t.port(), c.timeout());
      case CheckTarget.Http h ->
          new HttpCheck(
              h.url(),
              new StatusRange(h.statusLow(), h.statusHigh()),
              h.bodyMatch(),
              c.timeout(),
              h.insecureTls());
      case CheckTarget.Dns d ->
          new DnsCheck(
              new InetSocketAddress(d.server(), d.port()),
              d.query(),
              d.recordType(),
              d.expect(),
              c.timeout());
      case CheckTarget.Dhcp d ->
          DhcpCheck.onInterface(
              (Inet4Address) d.server(),
              d.interfaceName().orElse(group.interfaceName()),
              c.timeout());
      case CheckTarget.Script s -> new ScriptCheck(s.command(), s.env(), c.timeout());
    };
  }
}
