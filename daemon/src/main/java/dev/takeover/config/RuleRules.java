package dev.takeover.config;

import dev.takeover.config.ConfigNode.ListNode;
import dev.takeover.config.ConfigNode.Scalar;
import dev.takeover.config.Readers.IntRule;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A group's {@code rules} (keepalived's {@code virtual_rules}): policy routing rules installed and
 * removed with the group's routes. Whether an interface exists is not checked here: the kernel
 * matches {@code iif}/{@code oif} by name, and an interface may come later.
 */
final class RuleRules {
  static final int MAX_RULES = 16;
  static final List<String> RULE_KEYS =
      List.of("from", "to", "table", "priority", "in-interface", "out-interface", "fwmark");

  private static final Pattern PREFIX = Pattern.compile("([0-9A-Fa-f:.]+)(?:/([0-9]{1,3}))?");
  private static final String PREFIX_ALLOWED =
      "an address or prefix, e.g. 198.18.5.10, 198.18.100.0/24 or 2001:db8:100::/48";
  // FRA_TABLE and FRA_PRIORITY are u32; kept to what an int holds. Table 0 is "unspecified".
  private static final IntRule TABLE = new IntRule(1, Integer.MAX_VALUE);
  private static final IntRule PRIORITY = new IntRule(0, Integer.MAX_VALUE);
  private static final IntRule FWMARK = new IntRule(1, Integer.MAX_VALUE);

  private final Readers read;
  private final Diagnostics diagnostics;

  RuleRules(Readers read) {
    this.read = read;
    this.diagnostics = read.diagnostics;
  }

  /** Empty without the key; null if it has an error. {@code family} is null if unknown. */
  List<VirtualRule> rules(Section s, AddressFamily family) {
    if (!s.has("rules")) {
      return List.of();
    }
    String allowed = "a list of 0.." + MAX_RULES + " rules, e.g. [{from: 198.18.5.10, table: 100}]";
    ListNode list = read.listOf(s, "rules", allowed);
    if (list == null) {
      return null;
    }
    boolean valid = read.counted(list, s.path("rules"), "rule", 0, MAX_RULES, "rules");
    List<VirtualRule> out = new ArrayList<>();
    Map<VirtualRule, Integer> seen = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      Section r = read.mapping(list.items().get(i), s.path("rules") + "[" + i + "]", RULE_KEYS);
      if (r == null) {
        valid = false;
        continue;
      }
      boolean ok = true;
      Optional<VirtualRule.Prefix> from = Optional.empty();
      Optional<VirtualRule.Prefix> to = Optional.empty();
      if (r.has("from")) {
        from = prefix(r, "from");
        ok &= from.isPresent();
      }
      if (r.has("to")) {
        to = prefix(r, "to");
        ok &= to.isPresent();
      }
      AddressFamily ruleFamily = family;
      if (from.isPresent()
          && to.isPresent()
          && AddressFamily.of(from.get().address()) != AddressFamily.of(to.get().address())) {
        diagnostics.reject(
            r.entry("to").value(), r.path("to"), "is not of the family of from", PREFIX_ALLOWED);
        ok = false;
      } else if (from.isPresent() || to.isPresent()) {
        ruleFamily = AddressFamily.of(from.orElseGet(to::get).address());
      }
      Integer table = r.has("table") ? read.integer(r, "table", TABLE, 0) : missingTable(r);
      Integer priority =
          r.has("priority") ? read.integer(r, "priority", PRIORITY, 0) : Integer.valueOf(-1);
      Integer fwmark = r.has("fwmark") ? read.integer(r, "fwmark", FWMARK, 0) : Integer.valueOf(-1);
      String iif = r.has("in-interface") ? interfaceName(r, "in-interface") : "";
      String oif = r.has("out-interface") ? interfaceName(r, "out-interface") : "";
      if (!ok
          || ruleFamily == null
          || table == null
          || priority == null
          || fwmark == null
          || iif == null
          || oif == null) {
        valid = false;
        continue;
      }
      VirtualRule rule =
          new VirtualRule(
              ruleFamily,
              from,
              to,
              table,
              priority < 0 ? OptionalInt.empty() : OptionalInt.of(priority),
              iif.isEmpty() ? Optional.empty() : Optional.of(iif),
              oif.isEmpty() ? Optional.empty() : Optional.of(oif),
              fwmark < 0 ? OptionalInt.empty() : OptionalInt.of(fwmark));
      Integer earlier = seen.putIfAbsent(rule, i);
      if (earlier != null) {
        diagnostics.error(
            list.items().get(i),
            s.path("rules")
                + "["
                + i
                + "]: "
                + Diagnostics.quote(rule.toString())
                + " is the same rule as rules["
                + earlier
                + "]; allowed: each rule once");
        valid = false;
        continue;
      }
      out.add(rule);
    }
    return valid ? out : null;
  }

  private Integer missingTable(Section r) {
    read.missing(r, "table", "the table matching packets are looked up in, e.g. 100");
    return null;
  }

  private String interfaceName(Section r, String key) {
    Scalar value = read.scalarText(r, key, "a Linux interface name");
    if (value == null) {
      return null;
    }
    String problem = Readers.interfaceNameProblem(value.text());
    if (problem != null) {
      diagnostics.reject(value, r.path(key), problem, "a Linux interface name");
      return null;
    }
    return value.text();
  }

  private Optional<VirtualRule.Prefix> prefix(Section r, String key) {
    Scalar value = read.scalarText(r, key, PREFIX_ALLOWED);
    if (value == null) {
      return Optional.empty();
    }
    Matcher m = PREFIX.matcher(value.text());
    Optional<InetAddress> parsed = m.matches() ? IpLiterals.parse(m.group(1)) : Optional.empty();
    if (parsed.isEmpty()) {
      diagnostics.reject(value, r.path(key), "is not an address or prefix", PREFIX_ALLOWED);
      return Optional.empty();
    }
    int max = AddressFamily.of(parsed.get()) == AddressFamily.IPV4 ? 32 : 128;
    int length = m.group(2) == null ? max : Integer.parseInt(m.group(2));
    if (length > max) {
      diagnostics.reject(value, r.path(key), "has prefix length " + length, "0.." + max);
      return Optional.empty();
    }
    if (!hostBitsClear(parsed.get(), length)) {
      diagnostics.reject(
          value,
          r.path(key),
          "has host bits set (the kernel refuses it)",
          "the network address of the prefix, e.g. 198.18.100.0/24");
      return Optional.empty();
    }
    return Optional.of(new VirtualRule.Prefix(parsed.get(), length));
  }

  private static boolean hostBitsClear(InetAddress address, int length) {
    byte[] b = address.getAddress();
    for (int bit = length; bit < b.length * 8; bit++) {
      if ((b[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        return false;
      }
    }
    return true;
  }
}
