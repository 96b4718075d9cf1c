package dev.takeover.config;

import static dev.takeover.config.Diagnostics.quote;

import dev.takeover.config.AddressRules.Located;
import dev.takeover.config.GroupRules.Draft;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rules across groups, checked on the drafts of every group that could be read: names, VRIDs and
 * virtual addresses are each used once. A group whose value is unknown (it had its own error) is
 * left out rather than reported twice.
 */
final class CrossGroupRules {

  private final Diagnostics diagnostics;

  CrossGroupRules(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  void checkUniqueNames(List<Draft> drafts) {
    Map<String, Draft> byName = new HashMap<>();
    for (Draft d : drafts) {
      if (d.name() == null) {
        continue;
      }
      Draft first = byName.putIfAbsent(d.name(), d);
      if (first != null) {
        diagnostics.error(
            d.nameEntry().value(),
            d.path()
                + ".name: "
                + quote(d.name())
                + " is already the name of "
                + first.path()
                + " (line "
                + first.nameEntry().value().line()
                + "); allowed: a name no other group has");
      }
    }
  }

  // RFC 5798 §6.1: a VRID identifies a virtual router on one LAN, separately for IPv4 and IPv6.
  void checkUniqueVrids(List<Draft> drafts) {
    Map<String, Draft> byKey = new HashMap<>();
    for (Draft d : drafts) {
      if (d.vrid() == null || d.interfaceName() == null || d.family() == null) {
        continue;
      }
      String key = d.interfaceName() + "/" + d.family() + "/" + d.vrid();
      Draft first = byKey.putIfAbsent(key, d);
      if (first != null) {
        diagnostics.error(
            d.vridEntry().value(),
            d.path()
                + ".vrid: "
                + d.vrid()
                + " is already used on "
                + d.interfaceName()
                + " for "
                + d.family().displayName()
                + " by "
                + groupLabel(first)
                + " (line "
                + first.vridEntry().value().line()
                + "); allowed: one group per VRID, interface and address family");
      }
    }
  }

  void checkUniqueAddresses(List<Draft> drafts) {
    Map<InetAddress, Draft> owner = new HashMap<>();
    Map<InetAddress, Located> where = new HashMap<>();
    for (Draft d : drafts) {
      for (Located a : d.addresses()) {
        InetAddress ip = a.address().address();
        Draft first = owner.putIfAbsent(ip, d);
        // The same draft seen again is not a clash with itself: identity, not equality.
        if (first != null && !isSameDraft(first, d)) {
          diagnostics.error(
              a.node(),
              a.path()
                  + ": "
                  + IpLiterals.format(ip)
                  + " is already a virtual address of "
                  + groupLabel(first)
                  + " (line "
                  + where.get(ip).node().line()
                  + "); allowed: each virtual address in one group only");
        } else {
          where.putIfAbsent(ip, a);
        }
      }
    }
  }

  private static String groupLabel(Draft d) {
    return d.name() == null ? d.path() : "group " + quote(d.name());
  }

  @SuppressWarnings("ReferenceEquality") // one draft object per group: identity is the question
  private static boolean isSameDraft(Object a, Object b) {
    return a == b;
  }
}
