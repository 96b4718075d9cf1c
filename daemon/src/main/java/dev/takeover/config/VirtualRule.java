package dev.takeover.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A policy routing rule the group installs with its routes and removes with them (keepalived's
 * {@code virtual_rules}), marked with Takeover's protocol number (FRA_PROTOCOL, docs/CONFIG.md).
 * Its action is always "look up {@code table}" (FR_ACT_TO_TBL).
 *
 * @param family the rule's family: that of {@code from}/{@code to}, else the group's
 * @param from the source prefix it matches; empty for any
 * @param to the destination prefix it matches; empty for any
 * @param table the table it sends matching packets to
 * @param priority its priority ({@code ip rule ... pref N}); empty to let the kernel choose
 * @param inInterface the interface packets must arrive on ({@code iif}); empty for any
 * @param outInterface the interface packets must leave by ({@code oif}); empty for any
 * @param fwmark the firewall mark packets must carry; empty for any
 */
public record VirtualRule(
    AddressFamily family,
    Optional<Prefix> from,
    Optional<Prefix> to,
    int table,
    OptionalInt priority,
    Optional<String> inInterface,
    Optional<String> outInterface,
    OptionalInt fwmark) {

  /** An address and prefix length, e.g. {@code 198.18.5.10/32}. */
  public record Prefix(InetAddress address, int length) {
    public Prefix {
      Objects.requireNonNull(address, "address");
      int max = address instanceof Inet4Address ? 32 : 128;
      if (length < 0 || length > max) {
        throw new IllegalArgumentException("prefix length " + length + " outside 0.." + max);
      }
    }

    @Override
    public String toString() {
      int max = address instanceof Inet4Address ? 32 : 128;
      return IpLiterals.format(address) + (length == max ? "" : "/" + length);
    }
  }

  public VirtualRule {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(inInterface, "inInterface");
    Objects.requireNonNull(outInterface, "outInterface");
    Objects.requireNonNull(fwmark, "fwmark");
    for (Optional<Prefix> p : java.util.List.of(from, to)) {
      if (p.isPresent() && AddressFamily.of(p.get().address()) != family) {
        throw new IllegalArgumentException("a prefix of another family than " + family);
      }
    }
  }

  /**
   * As {@code ip rule} shows it, for logs, the journal and status: {@code from 198.18.5.10 to
   * 198.18.100.0/24 iif eth1 fwmark 0x1 lookup 100 pref 100}.
   */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("from ").append(from.map(Prefix::toString).orElse("all"));
    to.ifPresent(t -> s.append(" to ").append(t));
    inInterface.ifPresent(i -> s.append(" iif ").append(i));
    outInterface.ifPresent(o -> s.append(" oif ").append(o));
    fwmark.ifPresent(m -> s.append(" fwmark 0x").append(Integer.toHexString(m)));
    s.append(" lookup ").append(Integer.toUnsignedString(table));
    priority.ifPresent(p -> s.append(" pref ").append(Integer.toUnsignedString(p)));
    return s.toString();
  }
}
