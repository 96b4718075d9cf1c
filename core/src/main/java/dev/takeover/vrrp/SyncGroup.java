package dev.takeover.vrrp;

import dev.takeover.action.GroupState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A sync group: groups that are master together on one node (keepalived's {@code vrrp_sync_group}).
 * Pure, like {@link GroupPolicy}: it is given every member's state and faults after each event and
 * returns what the members must do; the engine hands each step to the member's policy ({@link
 * GroupPolicy#report}, {@link GroupPolicy#follow}) and asks again until nothing is left to do.
 *
 * <h2>Implementation notes</h2>
 *
 * <ul>
 *   <li><b>The first member is elected; the others follow it.</b> Followers run VRRP (they send and
 *       hear adverts, so keepalived peers and status see them) but never become master on their own
 *       and never yield to an advert ({@link VrrpMachine#setFollower}); they claim when the first
 *       member is MASTER and hand over when it is not. So the set has one election, and its members
 *       cannot end up master on different nodes however their priorities or checks differ.
 *       keepalived instead lets any member's election move the set, which flaps when the members'
 *       priorities disagree between nodes; with the same priority order on every node the two
 *       behave the same (DECISIONS 49).
 *   <li><b>One member in FAULT puts the set in FAULT</b> (keepalived: "if one member goes FAULT,
 *       all follow"): every other member gets a {@link PriorityCause.SyncGroup} fault naming it.
 *       Only a member's own faults count, never the ones filed here, so the set leaves FAULT when
 *       the member that caused it recovers (otherwise the causes would hold each other up for
 *       ever).
 *   <li><b>BACKUP follows too</b>: when the first member leaves MASTER (preempted, or FAULT) the
 *       followers hand over; a follower that is MASTER while the first member is not is stepped
 *       down, whatever made it so (a reload that restarted the first member, say).
 * </ul>
 *
 * <p>Not thread-safe: the engine's single thread owns it.
 */
public final class SyncGroup {

  /** What one member looks like now: its state and its fault causes (the machine's keys). */
  public record Member(GroupState state, SortedSet<String> faults) {
    public Member {
      Objects.requireNonNull(state, "state");
      faults = new TreeSet<>(faults);
    }
  }

  /** One thing a member must do. */
  public sealed interface Step {
    String member();
  }

  /** File ({@code active}) or clear the fault "member {@code because} is in FAULT". */
  public record Fault(String member, PriorityCause.SyncGroup cause, boolean active)
      implements Step {}

  /** Claim ({@code master}) or hand over, following the first member. */
  public record Follow(String member, boolean master, String reason) implements Step {}

  private final String name;
  private final List<String> members;
  // The SyncGroup faults filed with each member, by the member faulted.
  private final Map<String, Set<String>> filed = new LinkedHashMap<>();

  /**
   * @param members at least two, distinct; the first is the one elected
   */
  public SyncGroup(String name, List<String> members) {
    this.name = Objects.requireNonNull(name, "name");
    if (members.size() < 2 || new HashSet<>(members).size() != members.size()) {
      throw new IllegalArgumentException("a sync group has two or more distinct members");
    }
    this.members = List.copyOf(members);
    members.forEach(m -> filed.put(m, new HashSet<>()));
  }

  public String name() {
    return name;
  }

  public List<String> members() {
    return members;
  }

  /** The member that is elected; the others follow it. */
  public String lead() {
    return members.getFirst();
  }

  public boolean isFollower(String member) {
    return members.contains(member) && !lead().equals(member);
  }

  /**
   * The state of the set: the first member's, except that the set is MASTER only when every member
   * is (a follower still claiming is not yet master).
   */
  public GroupState state(Map<String, Member> view) {
    GroupState lead = view.get(lead()).state();
    if (lead == GroupState.MASTER
        && members.stream().anyMatch(m -> view.get(m).state() != GroupState.MASTER)) {
      return GroupState.BACKUP;
    }
    return lead;
  }

  /**
   * What the members must do given how they are now. Faults first: a member that goes FAULT takes
   * the set with it before anyone claims. The caller carries the steps out and calls again until
   * this returns none (each call moves every member at most once, so that takes a few calls).
   *
   * @param view every member's state and faults, by name
   */
  public List<Step> settle(Map<String, Member> view) {
    for (String m : members) {
      if (!view.containsKey(m)) {
        throw new IllegalArgumentException("no view of member " + m);
      }
    }
    List<Step> steps = new ArrayList<>();
    Set<String> faulty = new HashSet<>();
    for (String m : members) {
      Set<String> own = new HashSet<>(view.get(m).faults());
      filed.get(m).forEach(other -> own.remove(cause(other).text()));
      if (!own.isEmpty()) {
        faulty.add(m);
      }
    }
    for (String m : members) {
      Set<String> want = new HashSet<>(faulty);
      want.remove(m);
      Set<String> have = filed.get(m);
      for (String other : members) {
        boolean wanted = want.contains(other);
        if (wanted != have.contains(other)) {
          steps.add(new Fault(m, cause(other), wanted));
          if (wanted) {
            have.add(other);
          } else {
            have.remove(other);
          }
        }
      }
    }
    if (!steps.isEmpty()) {
      return steps;
    }
    boolean leadMaster = view.get(lead()).state() == GroupState.MASTER;
    for (String m : members.subList(1, members.size())) {
      GroupState s = view.get(m).state();
      if (leadMaster && s == GroupState.BACKUP) {
        steps.add(new Follow(m, true, "sync group " + name + ": " + lead() + " is master"));
      } else if (!leadMaster && s == GroupState.MASTER) {
        steps.add(new Follow(m, false, "sync group " + name + ": " + lead() + " is not master"));
      }
    }
    return steps;
  }

  private PriorityCause.SyncGroup cause(String member) {
    return new PriorityCause.SyncGroup(name, member);
  }
}
