package dev.takeover.effect;

import static dev.takeover.effect.GroupEffectsTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.config.AddressFamily;
import dev.takeover.config.GroupConfig;
import dev.takeover.config.VirtualAddress;
import dev.takeover.config.VirtualRule;
import dev.takeover.journal.EventDraft;
import dev.takeover.journal.EventType;
import dev.takeover.platform.NativeException;
import dev.takeover.platform.RuleTable;
import dev.takeover.wire.ChecksumMode;
import dev.takeover.wire.TtlRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** A group's policy rules on a fake rule table: added once, removed, refusals recorded. */
class RuleClaimsTest {
  private static final VirtualRule FROM_VIP =
      new VirtualRule(
          AddressFamily.IPV4,
          Optional.of(new VirtualRule.Prefix(ip("198.18.5.10"), 32)),
          Optional.empty(),
          100,
          OptionalInt.of(100),
          Optional.empty(),
          Optional.empty(),
          OptionalInt.empty());
  private static final VirtualRule TO_NET_IIF =
      new VirtualRule(
          AddressFamily.IPV4,
          Optional.empty(),
          Optional.of(new VirtualRule.Prefix(ip("198.18.100.0"), 24)),
          101,
          OptionalInt.empty(),
          Optional.of("eth1"),
          Optional.empty(),
          OptionalInt.of(7));

  private final List<RuleTable.Rule> kernel = new ArrayList<>();
  private final List<EventDraft> journal = new ArrayList<>();
  private boolean refuse;

  private final RuleTable table =
      new RuleTable() {
        @Override
        public boolean add(Rule rule) {
          if (refuse && rule.table() == 101) {
            throw new NativeException("RTM_NEWRULE", 22, "Invalid argument");
          }
          kernel.add(rule); // as the kernel, which adds an identical rule twice
          return true;
        }

        @Override
        public boolean delete(Rule rule) {
          return kernel.remove(rule);
        }

        @Override
        public List<Rule> ourRules() {
          return List.copyOf(kernel);
        }
      };

  private RuleClaims claims() {
    GroupConfig group =
        new GroupConfig(
            "web",
            51,
            "eth0",
            200,
            Duration.ofSeconds(1),
            true,
            Duration.ZERO,
            List.of(new VirtualAddress(ip("198.18.0.50"), 24)),
            List.of(),
            Optional.empty(),
            ChecksumMode.PSEUDO_HEADER,
            AddressFamily.IPV4,
            List.of(),
            List.of(),
            dev.takeover.config.GroupHooks.NONE,
            Optional.empty(),
            TtlRange.STRICT,
            3,
            Optional.empty(),
            List.of(),
            List.of(),
            List.of(FROM_VIP, TO_NET_IIF));
    return new RuleClaims(
        group,
        table,
        d -> {
          journal.add(d);
          return "e";
        });
  }

  @Test
  void rulesGoInOnceAndComeOutWithTheirAttributes() {
    RuleClaims claims = claims();
    claims.install("became master");
    claims.install("address restored"); // a reclaim: not a second copy
    assertThat(kernel).hasSize(2);
    RuleTable.Rule second = kernel.get(1);
    assertThat(second.to()).contains(new RuleTable.Prefix(ip("198.18.100.0"), 24));
    assertThat(second.inInterface()).contains("eth1");
    assertThat(second.fwmark()).hasValue(7);
    assertThat(second.priority()).isEmpty();
    assertThat(claims.installed())
        .containsExactly(
            "rule from 198.18.5.10 lookup 100 pref 100",
            "rule from all to 198.18.100.0/24 iif eth1 fwmark 0x7 lookup 101");

    claims.remove();
    assertThat(kernel).isEmpty();
    assertThat(claims.installed()).isEmpty();
    assertThat(journal)
        .extracting(EventDraft::type)
        .containsExactly(
            EventType.ROUTE_INSTALLED,
            EventType.ROUTE_INSTALLED,
            EventType.ROUTE_REMOVED,
            EventType.ROUTE_REMOVED);
  }

  @Test
  void aRefusedRuleIsRecordedAndTheOthersStillGoIn() {
    refuse = true;
    RuleClaims claims = claims();
    claims.install("became master");
    assertThat(kernel).hasSize(1);
    assertThat(journal)
        .extracting(EventDraft::type)
        .containsExactly(EventType.ROUTE_INSTALLED, EventType.ROUTE_FAILED);
  }

  @Test
  void everyRuleOfOursIsStaleAtStart() {
    kernel.add(RuleClaims.platform(FROM_VIP));
    kernel.add(RuleClaims.platform(TO_NET_IIF));
    RuleClaims.removeStale(table);
    assertThat(kernel).isEmpty();
  }
}
