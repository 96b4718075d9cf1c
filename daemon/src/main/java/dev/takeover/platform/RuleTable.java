package dev.takeover.platform;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Policy routing rules that Takeover owns (rtnetlink RTM_NEWRULE / RTM_DELRULE / RTM_GETRULE),
 * marked with its protocol number {@link RouteTable#PROTOCOL} in FRA_PROTOCOL (Linux 4.17+) so they
 * can be told from everyone else's and removed after a crash. Every rule's action is "look up a
 * table" (FR_ACT_TO_TBL).
 */
public interface RuleTable {

  /**
   * Adds the rule ({@code NLM_F_CREATE | NLM_F_EXCL}): the kernel would otherwise add a second copy
   * of an identical rule.
   *
   * @return false if the same rule was there already (EEXIST)
   */
  boolean add(Rule rule);

  /**
   * Deletes our rule that matches this one (the kernel matches the attributes given, and the
   * protocol makes it delete only ours); false if there was none.
   */
  boolean delete(Rule rule);

  /** Our rules (protocol {@link RouteTable#PROTOCOL}), IPv4 and IPv6, with their priorities. */
  List<Rule> ourRules();

  /** A prefix: address and length. */
  record Prefix(InetAddress address, int length) {
    public Prefix {
      Objects.requireNonNull(address, "address");
    }
  }

  /** A rule as the kernel keys it. */
  record Rule(
      boolean ipv6,
      Optional<Prefix> from,
      Optional<Prefix> to,
      int table,
      OptionalInt priority,
      Optional<String> inInterface,
      Optional<String> outInterface,
      OptionalInt fwmark) {
    public Rule {
      for (Optional<Prefix> p : List.of(from, to)) {
        if (p.isPresent() && (p.get().address() instanceof Inet4Address) == ipv6) {
          throw new IllegalArgumentException("a prefix of the other family: " + p.get());
        }
      }
    }
  }
}
