package dev.takeover.keepalived;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.takeover.keepalived.ReportEntry.Status;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Maps keepalived directives to a Takeover configuration and says, for every directive, whether it
 * was mapped, approximated, is not yet supported or is not mapped (docs/KEEPALIVED.md is the same
 * table for people).
 *
 * <p>Implementation notes. Pure: it takes the directives {@link ConfReader} read and returns text.
 * It never writes a key today's validator rejects: what Takeover will support is named in the
 * report as "not yet supported" with the key it will become, and left out. The version and the
 * advert interval are decided per instance once all its lines are read ({@code finish}), since
 * VRRPv2 counts whole seconds and has the password, VRRPv3 neither. Values keepalived accepts but
 * Takeover does not (a 5 ms GARP interval) are moved to the nearest allowed value and reported as
 * approximated, so the output always passes {@code takeover check}; the tests check every corpus
 * file's output with the real validator. Two passes: the definitions that instances refer to
 * ({@code global_defs}, {@code vrrp_script}, {@code track_file}, {@code vrrp_sync_group}) first,
 * then every top-level block in order. keepalived's positive track weights (added while up) become
 * Takeover's negative ones (subtracted while down) from a priority raised by the weight: the
 * effective priorities are the same in every state.
 */
public final class KeepalivedImport {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,32}");
  private static final Pattern NODE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
  private static final Pattern SAFE_SHELL_WORD = Pattern.compile("[A-Za-z0-9_./=:,+@%-]+");

  private static final int MAX_ADDRESSES = 20;
  private static final int MAX_CHECKS = 16;
  private static final int MAX_TRACKED = 16;
  private static final int MAX_ROUTES = 16;

  private static final String EMAIL =
      "Takeover sends no email: run a command from a hook instead (docs/HOOKS.md)";
  private static final String NO_EQUIVALENT = "no Takeover equivalent";
  private static final String LVS =
      "LVS (IPVS load balancing) is not mapped: Takeover moves addresses, it does not configure"
          + " IPVS or check real servers; keep keepalived's checker (keepalived --check) or"
          + " ipvsadm for it";

  private final List<ReportEntry> report = new ArrayList<>();
  private final Map<String, Script> scripts = new LinkedHashMap<>();
  private final Set<String> usedScripts = new HashSet<>();
  private final List<Directive> syncBlocks = new ArrayList<>();
  private final List<SyncOut> syncOut = new ArrayList<>();
  private final Set<String> takenSyncNames = new HashSet<>();

  /** A sync group as written: its members (the first is elected) and the set's hooks. */
  private record SyncOut(String name, List<String> groups, Map<String, List<String>> hooks) {}

  private final Map<String, TrackFileDef> trackFiles = new LinkedHashMap<>();
  private final Set<String> usedTrackFiles = new HashSet<>();
  private final Map<String, SyncGroup> syncOf = new HashMap<>();
  private final Map<String, String> groupNames = new LinkedHashMap<>();
  // By identity: a file included twice gives equal directives, and only the first one counts.
  private final Set<Directive> firstDefinitions =
      Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<String> takenGroupNames = new HashSet<>();
  private final Map<String, Setting> announce = new LinkedHashMap<>();
  private Integer realtimePriority;
  private String node;
  private String nodeSource;
  private Integer globalVersion;
  private final List<Group> groups = new ArrayList<>();
  private final Map<InetAddress, String> addressOwners = new HashMap<>();
  private final Map<String, String> vridOwners = new HashMap<>();

  /** One announce setting and where it came from, for "already set at line N". */
  private record Setting(String value, String file, int line) {}

  private KeepalivedImport() {}

  /**
   * Maps a parsed configuration.
   *
   * @param source what the YAML's header and the report call the file
   * @param hostName this node's name if keepalived.conf gives no {@code router_id} (keepalived then
   *     uses the host name)
   */
  public static ImportResult map(ConfReader.Parsed parsed, String source, String hostName) {
    KeepalivedImport m = new KeepalivedImport();
    m.report.addAll(parsed.notes());
    m.run(parsed.directives(), hostName);
    Map<String, Integer> fileOrder = new HashMap<>();
    order(parsed.directives(), fileOrder);
    List<ReportEntry> sorted = new ArrayList<>(m.report);
    sorted.sort(
        Comparator.comparingInt(
                (ReportEntry e) -> fileOrder.getOrDefault(e.file(), fileOrder.size()))
            .thenComparingInt(ReportEntry::line));
    return new ImportResult(
        source,
        m.yaml(source),
        sorted,
        m.groups.stream().map(g -> g.name).toList(),
        m.node + " (" + m.nodeSource + ")");
  }

  private static void order(List<Directive> directives, Map<String, Integer> fileOrder) {
    for (Directive d : directives) {
      fileOrder.putIfAbsent(d.file(), fileOrder.size());
      if (d.block() != null) {
        order(d.block(), fileOrder);
      }
    }
  }

  // ---- reporting -------------------------------------------------------------------------------

  private boolean quiet;

  private void add(Directive d, String where, Status status, String takeover, String note) {
    if (!quiet) {
      report.add(new ReportEntry(d.file(), d.line(), status, where + mask(d), takeover, note));
    }
  }

  private void mapped(Directive d, String where, String takeover) {
    add(d, where, Status.MAPPED, takeover, "");
  }

  private void notMapped(Directive d, String where, String note) {
    add(d, where, Status.NOT_MAPPED, "", note);
  }

  /** The directive as the report shows it: passwords and keys never appear. */
  private static String mask(Directive d) {
    String k = d.keyword();
    if ((k.equals("auth_pass") || k.equals("key")) && !d.args().isEmpty()) {
      return k + " ****";
    }
    String text = d.text().replace('\n', ' ');
    return text.length() > 100 ? text.substring(0, 97) + "..." : text;
  }

  private static String where(String keyword, String name) {
    return keyword + (name == null ? "" : " " + name) + " > ";
  }

  // ---- the walk --------------------------------------------------------------------------------

  private void run(List<Directive> top, String hostName) {
    for (Directive d : top) {
      switch (d.keyword()) {
        case "global_defs" -> globalDefs(d);
        case "vrrp_script" -> script(d);
        case "vrrp_sync_group" -> syncGroupMembers(d);
        case "vrrp_instance" -> reserveGroupName(d);
        case "track_file", "vrrp_track_file" -> trackFileDefinition(d);
        default -> {}
      }
    }
    for (Directive d : top) {
      switch (d.keyword()) {
        case "global_defs",
            "vrrp_script",
            "track_file",
            "vrrp_track_file" -> {} // reported in the first pass
        case "vrrp_instance" -> instance(d);
        case "vrrp_sync_group" -> syncBlocks.add(d); // after the instances: it names them
        case "virtual_server", "virtual_server_group" -> notMapped(d, "", LVS);
        case "static_ipaddress", "static_routes", "static_rules" ->
            notMapped(
                d,
                "",
                "static addresses, routes and rules do not follow mastership: configure them in"
                    + " the system's network configuration");
        case "vrrp_track_process" ->
            notMapped(
                d,
                "",
                "no process tracking: use a check of type script (e.g. [/usr/bin/pidof, NAME])");
        case "garp_group" ->
            notMapped(
                d,
                "",
                "per-interface GARP pacing: Takeover has one pacing, announce.garp-interval");
        case "bfd_instance" -> notMapped(d, "", "no BFD in Takeover");
        case "net_namespace", "net_namespace_ipvs", "instance" ->
            notMapped(d, "", "run takeover in the namespace instead (ip netns exec)");
        default -> notMapped(d, "", NO_EQUIVALENT + " (unknown to the import)");
      }
    }
    for (Map.Entry<String, Script> e : scripts.entrySet()) {
      if (!usedScripts.contains(e.getKey())) {
        Directive d = e.getValue().definition;
        add(
            d,
            "",
            Status.NOT_MAPPED,
            "",
            "tracked by no vrrp_instance or sync group, so keepalived does not run it either");
      }
    }
    syncBlocks.forEach(this::syncGroup);
    for (Map.Entry<String, TrackFileDef> e : trackFiles.entrySet()) {
      if (!usedTrackFiles.contains(e.getKey())) {
        add(
            e.getValue().definition,
            "",
            Status.NOT_MAPPED,
            "",
            "tracked by no vrrp_instance or sync group");
      }
    }
    if (node == null) {
      String name = sanitize(hostName == null ? "" : hostName, NODE, 64);
      node = name.isEmpty() ? "node" : name;
      nodeSource = "no router_id: this host's name, as keepalived uses";
    }
  }

  // ---- global_defs -----------------------------------------------------------------------------

  private void globalDefs(Directive block) {
    String where = "global_defs > ";
    if (block.block() == null) {
      notMapped(block, "", "global_defs without a block");
      return;
    }
    add(block, "", Status.MAPPED, "", "its settings follow");
    for (Directive d : block.block()) {
      String k = d.keyword();
      switch (k) {
        case "router_id" -> {
          if (d.arg() == null) {
            notMapped(d, where, "no value");
            break;
          }
          String name = sanitize(d.arg(), NODE, 64);
          if (name.isEmpty()) {
            notMapped(d, where, "no usable character for a node name");
          } else if (name.equals(d.arg())) {
            node = name;
            nodeSource = "router_id";
            mapped(d, where, "node: " + name);
          } else {
            node = name;
            nodeSource = "router_id, renamed";
            add(
                d,
                where,
                Status.APPROXIMATED,
                "node: " + name,
                "renamed: a node name has 1..64 of A-Z a-z 0-9 . _ -");
          }
        }
        case "vrrp_version" -> {
          Integer v = integer(d.arg(), 2, 3);
          if (v == null) {
            notMapped(d, where, "not 2 or 3");
          } else {
            globalVersion = v;
            if (v == 3) {
              mapped(d, where, "(Takeover speaks VRRPv3)");
            } else {
              mapped(d, where, "version: 2 in every IPv4 group (IPv6 groups speak VRRPv3)");
            }
          }
        }
        case "vrrp_rt_priority" -> {
          Integer v = integer(d.arg(), 1, 99);
          if (v == null) {
            notMapped(d, where, "not 1..99");
          } else {
            realtimePriority = v;
            mapped(d, where, "daemon.realtime-priority: " + v);
          }
        }
        case "vrrp_garp_master_repeat",
            "vrrp_garp_master_refresh",
            "vrrp_garp_interval",
            "vrrp_gna_interval",
            "vrrp_min_garp",
            "vrrp_garp_master_delay",
            "vrrp_garp_master_refresh_repeat",
            "vrrp_garp_lower_prio_delay",
            "vrrp_garp_lower_prio_repeat",
            "vrrp_garp_extra_if" ->
            garp(d, where, k.substring("vrrp_".length()));
        case "vrrp_check_unicast_src" ->
            add(
                d,
                where,
                Status.APPROXIMATED,
                "",
                "built in: a group with unicast-peers drops adverts from any other source");
        case "vrrp_skip_check_adv_addr" ->
            add(
                d,
                where,
                Status.APPROXIMATED,
                "",
                "built in: Takeover logs an advert whose address list differs, and accepts it");
        case "vrrp_lower_prio_no_advert", "vrrp_higher_prio_send_advert" ->
            add(
                d,
                where,
                Status.APPROXIMATED,
                "",
                "built in: a master re-announces its addresses at once when it hears a rival's"
                    + " advert (RFC 5798 otherwise)");
        case "vrrp_strict" ->
            notMapped(
                d,
                where,
                "no strict mode: Takeover always accepts packets to its addresses (DECISIONS 21)"
                    + " and never sends authentication");
        case "vrrp_mcast_group4", "vrrp_mcast_group6" -> {
          String standard = k.endsWith("4") ? "224.0.0.18" : "ff02::12";
          if (standard.equalsIgnoreCase(d.arg() == null ? "" : d.arg())) {
            mapped(d, where, "(the standard group, which Takeover uses)");
          } else {
            notMapped(d, where, "Takeover always uses " + standard);
          }
        }
        case "notification_email",
            "notification_email_from",
            "smtp_server",
            "smtp_helo_name",
            "smtp_connect_timeout",
            "smtp_alert",
            "smtp_alert_vrrp",
            "smtp_alert_checker",
            "no_email_faults" ->
            notMapped(d, where, EMAIL);
        case "script_user", "enable_script_security" ->
            notMapped(
                d,
                where,
                "Takeover runs hooks and script checks as its own user; use setpriv or runuser"
                    + " in the command to drop privileges");
        case "vrrp_notify_fifo", "vrrp_notify_fifo_script", "notify_fifo", "notify_fifo_script" ->
            notMapped(
                d,
                where,
                "no notify FIFO: follow transitions with `takeover events --follow` or hooks");
        default -> {
          if (k.startsWith("lvs_") || k.startsWith("checker_") || k.startsWith("vs_")) {
            notMapped(d, where, LVS);
          } else {
            notMapped(d, where, NO_EQUIVALENT);
          }
        }
      }
    }
  }

  /**
   * A GARP setting, global ({@code vrrp_garp_...}) or per instance ({@code garp_...}): Takeover's
   * announce settings are for the whole node, so the first value wins and a different later one is
   * reported.
   */
  private void garp(Directive d, String where, String name) {
    switch (name) {
      case "garp_master_repeat" -> {
        Integer n = integer(d.arg(), 0, Integer.MAX_VALUE);
        if (n == null) {
          notMapped(d, where, "not a number");
        } else if (n == 0) {
          notMapped(d, where, "0: Takeover always announces (garp-count 1..100)");
        } else {
          int count = Math.min(n, 100);
          announce(
              d,
              where,
              "garp-count",
              String.valueOf(count),
              "keepalived sends them at once, Takeover garp-interval apart"
                  + (count != n ? "; at most 100" : ""));
        }
      }
      case "garp_master_refresh" -> {
        Integer n = integer(d.arg(), 0, Integer.MAX_VALUE);
        if (n == null) {
          notMapped(d, where, "not a number of seconds");
        } else {
          int seconds = Math.min(n, 3600);
          String note = seconds != n ? "at most 1h" : "";
          announce(d, where, "garp-refresh", seconds + "s", note);
        }
      }
      case "garp_interval", "gna_interval" -> {
        Long ms = millis(d.arg());
        if (ms == null) {
          notMapped(d, where, "not a number of seconds");
        } else {
          long value = Math.clamp(ms, 10, 10_000);
          String note =
              (name.equals("gna_interval") ? "one interval for ARP and NA; " : "")
                  + (value != ms ? "Takeover's range is 10ms..10s" : "");
          announce(d, where, "garp-interval", YamlText.duration(value), note);
        }
      }
      case "min_garp" -> {
        if (bool(d.arg(), true)) {
          announce(d, where, "garp-count", "1", "one announcement, no second burst");
        } else {
          mapped(d, where, "(off: the default)");
        }
      }
      case "garp_master_delay" ->
          notMapped(
              d,
              where,
              "no second burst: Takeover sends one burst of garp-count, then one announcement"
                  + " every garp-refresh");
      case "garp_master_refresh_repeat" ->
          notMapped(d, where, "Takeover sends one announcement per refresh");
      case "garp_lower_prio_delay", "garp_lower_prio_repeat" ->
          add(
              d,
              where,
              Status.APPROXIMATED,
              "",
              "built in: a master that hears a rival's advert re-announces at once, rate limited");
      case "garp_extra_if" -> notMapped(d, where, "Takeover announces on the group's interface");
      default -> notMapped(d, where, NO_EQUIVALENT);
    }
  }

  private void announce(Directive d, String where, String key, String value, String note) {
    Setting before = announce.get(key);
    String takeover = "announce." + key + ": " + value;
    if (before == null) {
      announce.put(key, new Setting(value, d.file(), d.line()));
      add(d, where, note.isEmpty() ? Status.MAPPED : Status.APPROXIMATED, takeover, note);
    } else if (before.value().equals(value)) {
      add(
          d,
          where,
          note.isEmpty() ? Status.MAPPED : Status.APPROXIMATED,
          takeover,
          (note.isEmpty() ? "" : note + "; ") + "the same as line " + before.line());
    } else {
      notMapped(
          d,
          where,
          "announce settings are for the whole node in Takeover: announce."
              + key
              + " is already "
              + before.value()
              + " from "
              + before.file()
              + ":"
              + before.line());
    }
  }

  // ---- vrrp_script -----------------------------------------------------------------------------

  /** A vrrp_script as read; {@code command} is null if it cannot run. */
  private static final class Script {
    Directive definition;
    List<String> command;
    long interval = 1000;
    Long timeout;
    int weight;
    boolean reverse;
    int rise = 1;
    int fall = 1;
  }

  private void script(Directive block) {
    String name = block.arg();
    if (name == null || block.block() == null) {
      notMapped(block, "", "a vrrp_script needs a name and a block");
      return;
    }
    String where = where("vrrp_script", name);
    Script s = new Script();
    s.definition = block;
    for (Directive d : block.block()) {
      switch (d.keyword()) {
        case "script" -> {
          String raw = String.join(" ", d.args());
          List<String> words = words(raw);
          if (words.isEmpty()) {
            notMapped(d, where, "no command");
          } else {
            s.command = command(raw, List.of());
            boolean shell = !words.getFirst().startsWith("/");
            add(
                d,
                where,
                shell ? Status.APPROXIMATED : Status.MAPPED,
                "checks[].command: " + YamlText.flow(s.command),
                shell ? "not an absolute path: run by /bin/sh -c, which searches PATH" : "");
          }
        }
        case "interval" -> {
          Long ms = millis(d.arg());
          if (ms == null || ms == 0) {
            notMapped(d, where, "not a number of seconds above 0");
          } else {
            s.interval = Math.clamp(ms, 100, 3_600_000);
            add(
                d,
                where,
                s.interval == ms ? Status.MAPPED : Status.APPROXIMATED,
                "checks[].interval: " + YamlText.duration(s.interval),
                s.interval == ms ? "" : "Takeover's range is 100ms..1h");
          }
        }
        case "timeout" -> {
          Long ms = millis(d.arg());
          if (ms == null || ms == 0) {
            notMapped(d, where, "not a number of seconds above 0");
          } else {
            s.timeout = ms;
            mapped(d, where, "checks[].timeout (shorter than the interval, at most 60s)");
          }
        }
        case "weight" -> {
          Integer w = integer(d.arg(), -253, 253);
          if (w == null) {
            notMapped(d, where, "not -253..253");
          } else {
            s.weight = w;
            s.reverse = d.args().size() > 1 && d.args().get(1).equals("reverse");
            mapped(d, where, "checks[].weight, per group (see track_script)");
          }
        }
        case "rise", "fall" -> {
          Integer n = integer(d.arg(), 1, Integer.MAX_VALUE);
          if (n == null) {
            notMapped(d, where, "not a number above 0");
          } else {
            int v = Math.min(n, 100);
            if (d.keyword().equals("rise")) {
              s.rise = v;
            } else {
              s.fall = v;
            }
            add(
                d,
                where,
                v == n ? Status.MAPPED : Status.APPROXIMATED,
                "checks[]." + d.keyword() + ": " + v,
                v == n ? "" : "at most 100");
          }
        }
        case "user" ->
            notMapped(
                d,
                where,
                "script checks run as Takeover's user; drop privileges in the command (setpriv)");
        case "init_fail" ->
            add(
                d,
                where,
                Status.APPROXIMATED,
                "",
                "built in: a Takeover check counts as down until it has passed rise times");
        default -> notMapped(d, where, NO_EQUIVALENT);
      }
    }
    scripts.put(name, s);
    if (s.timeout == null) {
      add(
          block,
          "",
          Status.APPROXIMATED,
          "checks: {type: script}",
          "in each group that tracks it; no timeout given, so Takeover's default applies (1s, or"
              + " half the interval at 1s or less)");
    } else {
      mapped(block, "", "checks: {type: script} in each group that tracks it");
    }
  }

  // ---- track_file ------------------------------------------------------------------------------

  /** A top-level track_file (vrrp_track_file before keepalived 2.1); {@code file} null if none. */
  private static final class TrackFileDef {
    Directive definition;
    String file;
    int weight = 1; // keepalived.conf(5): the default weight of a track_file is 1
    boolean reverse;
  }

  private void trackFileDefinition(Directive block) {
    String name = block.arg();
    if (name == null || block.block() == null) {
      notMapped(block, "", "a track_file needs a name and a block");
      return;
    }
    if (trackFiles.containsKey(name)) {
      notMapped(block, "", "a second track_file of this name");
      return;
    }
    String where = where(block.keyword(), name);
    TrackFileDef t = new TrackFileDef();
    t.definition = block;
    for (Directive d : block.block()) {
      switch (d.keyword()) {
        case "file" -> {
          String path = d.arg();
          if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0) {
            notMapped(d, where, "not an absolute path");
          } else {
            t.file = path;
            mapped(d, where, "track-files[].file: " + path);
          }
        }
        case "weight" -> {
          Integer w = integer(d.arg(), -254, 254);
          if (w == null) {
            notMapped(d, where, "not -254..254");
          } else if (d.args().size() > 1 && d.args().get(1).equals("reverse")) {
            t.weight = w;
            t.reverse = true;
            mapped(d, where, "track-files[].weight: " + w + ", reverse: true");
          } else {
            t.weight = w;
            mapped(d, where, "track-files[].weight: " + w + " (per group, see track_file there)");
          }
        }
        case "init_file" -> {
          Integer v = d.arg() == null ? 0 : integer(d.arg(), Integer.MIN_VALUE, Integer.MAX_VALUE);
          if (v != null && v == 0) {
            add(
                d,
                where,
                Status.APPROXIMATED,
                "",
                "Takeover never writes the file; a missing file reads as 0, keepalived's default");
          } else {
            notMapped(
                d,
                where,
                "Takeover never writes the file and reads a missing one as 0; write "
                    + (d.arg() == null ? "the value" : d.arg())
                    + " to it before starting takeover");
          }
        }
        default -> notMapped(d, where, NO_EQUIVALENT);
      }
    }
    if (t.file == null) {
      notMapped(block, "", "no file; the groups that track it leave it out");
    } else {
      mapped(block, "", "track-files: {file: " + t.file + "} in each group that tracks it");
    }
    trackFiles.put(name, t);
  }

  // ---- vrrp_sync_group -------------------------------------------------------------------------

  private static final class SyncGroup {
    Directive definition;
    List<String> members = new ArrayList<>();
    boolean trackingWeight;
    List<Directive> tracking = new ArrayList<>();
  }

  private void syncGroupMembers(Directive block) {
    if (block.arg() == null || block.block() == null) {
      return;
    }
    SyncGroup g = new SyncGroup();
    g.definition = block;
    for (Directive d : block.block()) {
      switch (d.keyword()) {
        case "group" -> {
          if (d.block() != null) {
            d.block().forEach(m -> g.members.add(m.keyword()));
          }
        }
        case "sync_group_tracking_weight" -> g.trackingWeight = true;
        case "track_interface", "track_script", "track_file" -> g.tracking.add(d);
        default -> {}
      }
    }
    for (String member : g.members) {
      syncOf.putIfAbsent(member, g);
    }
  }

  private void syncGroup(Directive block) {
    if (block.arg() == null || block.block() == null) {
      notMapped(block, "", "a vrrp_sync_group needs a name and a block");
      return;
    }
    String where = where("vrrp_sync_group", block.arg());
    SyncGroup g =
        syncOf.values().stream().filter(x -> block.equals(x.definition)).findFirst().orElse(null);
    List<String> members = new ArrayList<>();
    List<Directive> memberLines = new ArrayList<>();
    Directive groupLine = null;
    Map<String, List<String>> hooks = new LinkedHashMap<>();
    List<Directive> hookLines = new ArrayList<>();
    Directive notify = null;
    Set<String> written = new HashSet<>();
    groups.forEach(x -> written.add(x.name));
    for (Directive d : block.block()) {
      switch (d.keyword()) {
        case "group" -> {
          groupLine = d;
          if (d.block() == null) {
            continue;
          }
          for (Directive m : d.block()) {
            String name = groupNames.get(m.keyword());
            String inner = where + "group > ";
            if (name == null) {
              notMapped(m, inner, "no vrrp_instance of that name");
            } else if (!written.contains(name)) {
              notMapped(m, inner, "its vrrp_instance is left out");
            } else if (g == null || syncOf.get(m.keyword()) != g) {
              notMapped(m, inner, "already in another vrrp_sync_group (keepalived refuses it too)");
            } else if (members.contains(name)) {
              notMapped(m, inner, "listed twice");
            } else if (members.size() >= 16) {
              notMapped(m, inner, "a sync group has at most 16 groups");
            } else {
              members.add(name);
              memberLines.add(m);
            }
          }
        }
        case "track_interface", "track_script", "track_file" ->
            mapped(
                d,
                where,
                "track-interfaces / checks / track-files of each member group: "
                    + String.join(", ", g == null ? List.of() : memberNames(g)));
        case "notify_master" -> syncHook(d, where, "after-claim", hooks, hookLines);
        case "notify_backup" -> syncHook(d, where, "backup", hooks, hookLines);
        case "notify_fault" -> syncHook(d, where, "fault", hooks, hookLines);
        case "notify" -> notify = d;
        case "notify_stop" ->
            notMapped(d, where, "a sync group has no stop hook; each member's stop hook runs");
        case "smtp_alert" -> notMapped(d, where, EMAIL);
        case "global_tracking", "sync_group_tracking_weight" ->
            mapped(d, where, "(read: decides whether member track weights apply)");
        default -> notMapped(d, where, NO_EQUIVALENT);
      }
    }
    if (notify != null && d0(notify) != null) {
      List<String> used = new ArrayList<>();
      Map<String, String> states = new LinkedHashMap<>();
      states.put("after-claim", "MASTER");
      states.put("backup", "BACKUP");
      states.put("fault", "FAULT");
      for (Map.Entry<String, String> e : states.entrySet()) {
        if (!hooks.containsKey(e.getKey())) {
          hooks.put(e.getKey(), command(notify.arg(), List.of("GROUP", block.arg(), e.getValue())));
          used.add(e.getKey());
        }
      }
      hookLines.add(notify);
      add(
          notify,
          where,
          used.isEmpty() ? Status.NOT_MAPPED : Status.APPROXIMATED,
          used.isEmpty() ? "" : "sync-groups[].hooks." + String.join(", hooks.", used),
          (used.isEmpty() ? "every kind already has a notify_* script; " : "")
              + "called with GROUP NAME STATE, without the priority keepalived appends");
    } else if (notify != null) {
      notMapped(notify, where, "no script");
    }
    if (members.size() < 2) {
      notMapped(
          block,
          "",
          "fewer than two of its instances are imported; each is a group of its own"
              + " (and its hooks are left out)");
      if (groupLine != null) {
        notMapped(groupLine, where, "see vrrp_sync_group");
      }
      for (Directive m : memberLines) {
        notMapped(m, where + "group > ", "see vrrp_sync_group");
      }
      for (Directive h : hookLines) {
        report.removeIf(e -> e.file().equals(h.file()) && e.line() == h.line());
        notMapped(h, where, "its sync group is left out");
      }
      return;
    }
    String name = sanitize(block.arg(), NAME, 32);
    if (name.isEmpty()) {
      name = "sync";
    }
    String unique = name;
    for (int i = 2; takenSyncNames.contains(unique); i++) {
      String suffix = "-" + i;
      unique = name.substring(0, Math.min(name.length(), 32 - suffix.length())) + suffix;
    }
    takenSyncNames.add(unique);
    syncOut.add(new SyncOut(unique, List.copyOf(members), hooks));
    List<String> notes = new ArrayList<>();
    if (!unique.equals(block.arg())) {
      notes.add("renamed: a sync group name has 1..32 of A-Z a-z 0-9 . _ -, unique");
    }
    notes.add(
        members.getFirst()
            + " is elected, the others follow it (keepalived lets any member's election move the"
            + " set; the same when the members' priority order is the same on every node)");
    add(
        block,
        "",
        Status.APPROXIMATED,
        "sync-groups: {name: " + unique + ", groups: " + YamlText.flow(members) + "}",
        String.join("; ", notes));
    if (groupLine != null) {
      mapped(groupLine, where, "sync-groups[].groups: " + YamlText.flow(members));
    }
    for (int i = 0; i < memberLines.size(); i++) {
      mapped(
          memberLines.get(i),
          where + "group > ",
          "sync-groups[].groups: " + members.get(i) + (i == 0 ? " (elected)" : ""));
    }
  }

  private static String d0(Directive d) {
    return d.arg() == null || words(d.arg()).isEmpty() ? null : d.arg();
  }

  private void syncHook(
      Directive d,
      String where,
      String kind,
      Map<String, List<String>> hooks,
      List<Directive> lines) {
    if (d0(d) == null) {
      notMapped(d, where, "no script");
      return;
    }
    List<String> command = command(d.arg(), List.of());
    hooks.put(kind, command);
    lines.add(d);
    List<String> notes = new ArrayList<>();
    if (!words(d.arg()).getFirst().startsWith("/")) {
      notes.add("not an absolute path: run by /bin/sh -c, which searches PATH");
    }
    if (d.args().size() > 1) {
      notes.add("user not mapped: hooks run as Takeover's user");
    }
    add(
        d,
        where,
        notes.isEmpty() ? Status.MAPPED : Status.APPROXIMATED,
        "sync-groups[].hooks." + kind + ".command: " + YamlText.flow(command),
        String.join("; ", notes));
  }

  private List<String> memberNames(SyncGroup g) {
    return g.members.stream().map(groupNames::get).filter(n -> n != null).toList();
  }

  // ---- vrrp_instance ---------------------------------------------------------------------------

  private record Check(
      String name,
      List<String> command,
      long interval,
      Long timeout,
      int rise,
      int fall,
      String weight) {}

  private record Track(String iface, String weight) {}

  /** A group being built. */
  private static final class Group {
    String name;
    Integer vrid;
    String iface;
    int priority = 100;
    int boost;
    long advert = 1000;
    Directive advertAt;
    boolean preempt = true;
    long preemptDelay;
    Directive preemptDelayAt;
    Boolean ipv6;
    final List<String> addresses = new ArrayList<>();
    final List<InetAddress> addressValues = new ArrayList<>();
    final List<String> peers = new ArrayList<>();
    final List<InetAddress> peerValues = new ArrayList<>();
    InetAddress sourceValue;
    String source;
    Directive sourceAt;
    final List<Check> checks = new ArrayList<>();
    final Set<String> checkNames = new HashSet<>();
    final List<Track> tracks = new ArrayList<>();
    final Map<String, List<String>> hooks = new LinkedHashMap<>();
    Directive notify;
    Integer version;
    Directive versionAt;
    Directive authentication;
    final List<TrackFileRef> trackFiles = new ArrayList<>();
    final List<RouteOut> routes = new ArrayList<>();
    final List<String> rules = new ArrayList<>();
    String password;
  }

  /** One of {@code routes}; {@code dev} is left out of the YAML when it is the group's. */
  private record RouteOut(
      String destination,
      Boolean defaultV6,
      String gateway,
      String dev,
      Long metric,
      Integer table,
      String source) {
    String key() {
      return destination + " " + defaultV6 + " table " + table + " metric " + metric;
    }

    /** As the YAML says it: {@code default} is the group's family. */
    String destinationIn(Boolean groupV6) {
      if (!destination.equals("default") || defaultV6 == null || defaultV6.equals(groupV6)) {
        return destination;
      }
      return defaultV6 ? "::/0" : "0.0.0.0/0";
    }
  }

  private record TrackFileRef(String file, int weight, boolean reverse) {}

  private void reserveGroupName(Directive d) {
    if (d.arg() == null || groupNames.containsKey(d.arg())) {
      return;
    }
    firstDefinitions.add(d);
    String name = sanitize(d.arg(), NAME, 32);
    if (name.isEmpty()) {
      name = "group";
    }
    String unique = name;
    for (int i = 2; takenGroupNames.contains(unique); i++) {
      String suffix = "-" + i;
      unique = name.substring(0, Math.min(name.length(), 32 - suffix.length())) + suffix;
    }
    takenGroupNames.add(unique);
    groupNames.put(d.arg(), unique);
  }

  private void instance(Directive block) {
    if (block.arg() == null || block.block() == null) {
      notMapped(block, "", "a vrrp_instance needs a name and a block");
      return;
    }
    if (!firstDefinitions.contains(block)) {
      notMapped(block, "", "a second vrrp_instance of this name (keepalived refuses it too)");
      return;
    }
    String where = where("vrrp_instance", block.arg());
    Group g = new Group();
    g.name = groupNames.get(block.arg());
    SyncGroup sync = syncOf.get(block.arg());
    boolean zeroWeights = sync != null && !sync.trackingWeight;
    int reportAt = report.size();
    for (Directive d : block.block()) {
      instanceDirective(g, d, where, zeroWeights);
    }
    if (sync != null) {
      // keepalived: a sync group's tracking applies to every member (reported once, at the group).
      quiet = true;
      for (Directive d : sync.tracking) {
        instanceDirective(g, d, where, false);
      }
      quiet = false;
    }
    finish(g, block, where);
    if (!groups.contains(g)) {
      // Left out: nothing of this instance is in the YAML, whatever its lines would map to.
      for (int i = reportAt; i < report.size(); i++) {
        ReportEntry e = report.get(i);
        if (e.status() != Status.NOT_MAPPED) {
          report.set(
              i,
              new ReportEntry(
                  e.file(),
                  e.line(),
                  Status.NOT_MAPPED,
                  e.directive(),
                  "",
                  "its vrrp_instance is left out" + (e.note().isEmpty() ? "" : "; " + e.note())));
        }
      }
    }
  }

  private void instanceDirective(Group g, Directive d, String where, boolean zeroWeights) {
    switch (d.keyword()) {
      case "state" ->
          add(
              d,
              where,
              Status.APPROXIMATED,
              "",
              "no initial state in Takeover: a group starts as backup and the election decides"
                  + " (priority 255, the owner, takes over at once)");
      case "interface" -> {
        if (d.arg() == null) {
          notMapped(d, where, "no value");
        } else if (!interfaceName(d.arg())) {
          notMapped(d, where, INTERFACE_RULE);
        } else {
          g.iface = d.arg();
          mapped(d, where, "interface: " + d.arg());
        }
      }
      case "virtual_router_id" -> {
        Integer v = integer(d.arg(), 1, 255);
        if (v == null) {
          notMapped(d, where, "not 1..255");
        } else {
          g.vrid = v;
          mapped(d, where, "vrid: " + v);
        }
      }
      case "priority" -> {
        Integer v = integer(d.arg(), 1, 255);
        if (v == null) {
          notMapped(d, where, "not 1..255");
        } else {
          g.priority = v;
          mapped(d, where, "priority: " + v);
        }
      }
      case "advert_int" -> {
        Long ms = millis(d.arg());
        if (ms == null || ms == 0) {
          notMapped(d, where, "not a number of seconds above 0");
        } else {
          g.advert = ms; // reported in finish: the range depends on the version
          g.advertAt = d;
        }
      }
      case "nopreempt" -> {
        g.preempt = false;
        mapped(d, where, "preempt: false");
      }
      case "preempt" -> mapped(d, where, "preempt: true (the default)");
      case "preempt_delay" -> {
        Long ms = millis(d.arg());
        if (ms == null || ms > 3_600_000) {
          notMapped(d, where, "not 0..3600 seconds");
        } else {
          g.preemptDelay = ms;
          g.preemptDelayAt = d;
          mapped(d, where, "preempt-delay: " + YamlText.duration(ms));
        }
      }
      case "virtual_ipaddress" -> addresses(g, d, where, false);
      case "virtual_ipaddress_excluded" -> addresses(g, d, where, true);
      case "unicast_src_ip" -> {
        InetAddress a = address(d.arg());
        if (a == null) {
          notMapped(d, where, "not an IP address");
        } else {
          g.source = d.arg().toLowerCase(Locale.ROOT);
          g.sourceValue = a;
          g.sourceAt = d;
          mapped(d, where, "unicast-source: " + g.source);
        }
      }
      case "mcast_src_ip" ->
          notMapped(
              d,
              where,
              "Takeover multicasts from the interface's primary address (the kernel's choice)");
      case "unicast_peer" -> peers(g, d, where);
      case "track_interface" -> trackInterfaces(g, d, where, zeroWeights);
      case "track_script" -> trackScripts(g, d, where, zeroWeights);
      case "track_file" -> trackFileRefs(g, d, where, zeroWeights);
      case "notify_master" -> hook(g, d, where, "after-claim");
      case "notify_fault" -> hook(g, d, where, "fault");
      case "notify_stop" -> hook(g, d, where, "stop");
      case "notify_backup" -> hook(g, d, where, "backup");
      case "notify" -> g.notify = d;
      case "notify_master_rx_lower_pri" ->
          add(
              d,
              where,
              Status.APPROXIMATED,
              "",
              "built in: a master that hears a rival's advert re-announces its addresses at once");
      case "garp_master_delay",
          "garp_master_repeat",
          "garp_lower_prio_delay",
          "garp_lower_prio_repeat",
          "garp_master_refresh",
          "garp_master_refresh_repeat",
          "garp_extra_if" ->
          garp(d, where, d.keyword());
      case "version" -> {
        Integer v = integer(d.arg(), 2, 3);
        if (v == null) {
          notMapped(d, where, "not 2 or 3");
        } else {
          g.version = v;
          g.versionAt = d;
        }
      }
      case "authentication" -> g.authentication = d; // reported in finish, by the version
      case "accept" -> mapped(d, where, "accept-mode: true (the default)");
      case "no_accept" ->
          notMapped(d, where, "Takeover always accepts packets to its addresses (DECISIONS 21)");
      case "native_ipv6" -> mapped(d, where, "(the family follows the addresses)");
      case "virtual_routes" -> routes(g, d, where);
      case "virtual_rules" -> rules(g, d, where);
      case "dont_track_primary" ->
          notMapped(d, where, "Takeover always follows the group's own interface");
      case "use_vmac", "vmac_xmit_base", "use_vmac_addr", "use_ipvlan" ->
          notMapped(
              d,
              where,
              "no virtual MAC: Takeover adds the addresses to the interface and announces them");
      case "smtp_alert" -> notMapped(d, where, EMAIL);
      case "skip_check_adv_addr" ->
          add(
              d,
              where,
              Status.APPROXIMATED,
              "",
              "built in: Takeover logs an advert whose address list differs, and accepts it");
      case "check_unicast_src" ->
          add(
              d,
              where,
              Status.APPROXIMATED,
              "",
              "built in: a group with unicast-peers drops adverts from any other source");
      case "strict_mode" ->
          notMapped(d, where, "no strict mode: Takeover always accepts packets to its addresses");
      default -> notMapped(d, where, NO_EQUIVALENT);
    }
  }

  /**
   * keepalived's {@code authentication} block, reported once the group's version is known: PASS is
   * VRRPv2's simple password ({@code authentication}), AH is refused by the validator and so not
   * mapped, and a VRRPv3 instance has none (keepalived ignores the block there, with a warning).
   */
  private void authentication(Group g, int version, String where) {
    Directive block = g.authentication;
    String inner = where + "authentication > ";
    String type = null;
    Directive typeAt = null;
    Directive passAt = null;
    if (block.block() != null) {
      for (Directive d : block.block()) {
        switch (d.keyword()) {
          case "auth_type" -> {
            typeAt = d;
            type = d.arg() == null ? "" : d.arg().toUpperCase(Locale.ROOT);
          }
          case "auth_pass" -> passAt = d;
          default -> notMapped(d, inner, NO_EQUIVALENT);
        }
      }
    }
    String why = null;
    if (version == 3) {
      why = "VRRPv3 has no authentication field; keepalived ignores the block in a VRRPv3 instance";
    } else if ("AH".equals(type)) {
      why =
          "IPsec AH (RFC 2338) is refused by Takeover: RFC 3768 removed it; remove it from"
              + " keepalived too, or use PASS";
    } else if (!"PASS".equals(type)) {
      why = "no auth_type PASS";
    } else if (passAt == null || passAt.arg() == null || passAt.arg().isEmpty()) {
      why = "no auth_pass";
    }
    if (why != null) {
      notMapped(block, where, why);
      if (typeAt != null) {
        notMapped(typeAt, inner, "see authentication");
      }
      if (passAt != null) {
        notMapped(passAt, inner, "see authentication");
      }
      return;
    }
    byte[] bytes = passAt.arg().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String password = passAt.arg();
    String note = "";
    if (bytes.length > 8) {
      // keepalived copies the first 8 bytes of auth_pass into the advert (RFC 3768 §5.3.10).
      java.nio.charset.CharsetDecoder decoder =
          java.nio.charset.StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT);
      try {
        password = decoder.decode(java.nio.ByteBuffer.wrap(bytes, 0, 8)).toString();
        note = "the first 8 bytes, which keepalived sends (it truncates longer passwords)";
      } catch (java.nio.charset.CharacterCodingException e) {
        notMapped(block, where, "a password over 8 bytes cut inside a UTF-8 character");
        notMapped(typeAt, inner, "see authentication");
        notMapped(passAt, inner, "see authentication");
        return;
      }
    }
    g.password = password;
    mapped(block, where, "authentication: {type: pass, password: ****}");
    mapped(typeAt, inner, "authentication.type: pass");
    add(
        passAt,
        inner,
        note.isEmpty() ? Status.MAPPED : Status.APPROXIMATED,
        "authentication.password: ****",
        note);
  }

  /** An instance's {@code track_file { NAME [weight W [reverse]] }}. */
  private void trackFileRefs(Group g, Directive block, String where, boolean zeroWeights) {
    String inner = where + "track_file > ";
    if (block.block() == null) {
      notMapped(block, where, "no block of track files");
      return;
    }
    mapped(block, where, "track-files");
    for (Directive d : block.block()) {
      Tracked t = tracked(d, 254);
      TrackFileDef def = trackFiles.get(d.keyword());
      if (def != null) {
        usedTrackFiles.add(d.keyword());
      }
      if (t.problem() != null) {
        notMapped(d, inner, t.problem());
      } else if (def == null) {
        notMapped(d, inner, "no track_file of that name");
      } else if (def.file == null) {
        notMapped(d, inner, "its track_file has no usable file line");
      } else if (g.trackFiles.stream().anyMatch(x -> x.file().equals(def.file))) {
        notMapped(d, inner, "the file " + def.file + " is tracked twice");
      } else if (g.trackFiles.size() >= MAX_TRACKED) {
        notMapped(d, inner, "at most " + MAX_TRACKED + " track files per group");
      } else {
        // The instance's weight (and its reverse) overrides the definition's.
        int given = t.weight() != null ? t.weight() : def.weight;
        boolean reverse = t.weight() != null ? t.reverse() : def.reverse;
        int w = zeroWeights ? 0 : given;
        boolean zeroed = zeroWeights && given != 0;
        g.trackFiles.add(new TrackFileRef(def.file, w, reverse && w != 0));
        add(
            d,
            inner,
            Status.MAPPED,
            "track-files: {file: "
                + def.file
                + ", weight: "
                + w
                + (reverse && w != 0 ? ", reverse: true" : "")
                + "}",
            zeroed
                ? "weight 0 (a non-zero value is FAULT), as keepalived sets it in a sync group"
                    + " without sync_group_tracking_weight"
                : "");
      }
    }
  }

  /**
   * An instance's {@code virtual_routes}: each line {@code [src ADDR] [to] DEST [via|gw GW] [dev
   * IF] [metric N] [table N] [scope S] ...} (keepalived.conf(5)) becomes one of {@code routes}.
   */
  private void routes(Group g, Directive block, String where) {
    String inner = where + "virtual_routes > ";
    if (block.block() == null) {
      notMapped(block, where, "no block of routes");
      return;
    }
    mapped(block, where, "routes");
    for (Directive d : block.block()) {
      route(g, d, inner);
    }
  }

  private void rules(Group g, Directive block, String where) {
    String inner = where + "virtual_rules > ";
    if (block.block() == null) {
      notMapped(block, where, "no block of rules");
      return;
    }
    mapped(block, where, "rules");
    for (Directive d : block.block()) {
      rule(g, d, inner);
    }
  }

  /**
   * One line of {@code virtual_rules}: {@code [from P] [to P] [iif IF] [oif IF] [fwmark N]
   * [priority|preference|pref N] table N|main ...} (keepalived.conf(5), as {@code ip rule add})
   * becomes one of {@code rules}: a flow mapping, as CONFIG.md writes it.
   */
  private void rule(Group g, Directive d, String where) {
    List<String> tokens = new ArrayList<>();
    tokens.add(d.keyword());
    tokens.addAll(d.args());
    List<String> parts = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Boolean v6 = null;
    boolean table = false;
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      String value = i + 1 < tokens.size() ? tokens.get(i + 1) : "";
      switch (t) {
        case "from", "to" -> {
          i++;
          if (value.equals("all")) {
            continue;
          }
          int slash = value.indexOf('/');
          InetAddress a = address(slash < 0 ? value : value.substring(0, slash));
          int max = a instanceof Inet4Address ? 32 : 128;
          Integer length =
              a == null
                  ? null
                  : slash < 0 ? Integer.valueOf(max) : integer(value.substring(slash + 1), 0, max);
          if (a == null || length == null) {
            notMapped(d, where, t + " " + value + " is not an address or prefix");
            return;
          }
          if (!network(a, length)) {
            notMapped(d, where, t + " " + value + " has host bits set");
            return;
          }
          if (v6 != null && v6 != !(a instanceof Inet4Address)) {
            notMapped(d, where, "from and to of two families");
            return;
          }
          v6 = !(a instanceof Inet4Address);
          parts.add(t + ": " + YamlText.scalar(value.toLowerCase(Locale.ROOT)));
        }
        case "iif", "dev", "oif" -> {
          i++;
          if (!interfaceName(value)) {
            notMapped(d, where, t + " " + value + ": " + INTERFACE_RULE);
            return;
          }
          parts.add(
              (t.equals("oif") ? "out-interface: " : "in-interface: ") + YamlText.scalar(value));
        }
        case "fwmark" -> {
          i++;
          Integer mark = value.contains("/") ? null : integer(value, 1, Integer.MAX_VALUE);
          if (mark == null) {
            notMapped(d, where, "fwmark " + value + ": a mark 1..2147483647 without a mask");
            return;
          }
          parts.add("fwmark: " + mark);
        }
        case "priority", "preference", "pref" -> {
          i++;
          Integer p = integer(value, 0, Integer.MAX_VALUE);
          if (p == null) {
            notMapped(d, where, t + " not 0..2147483647");
            return;
          }
          parts.add("priority: " + p);
        }
        case "table", "lookup" -> {
          i++;
          Integer n =
              "main".equals(value) ? Integer.valueOf(254) : integer(value, 1, Integer.MAX_VALUE);
          if (n == null) {
            notMapped(d, where, "table " + value + ": a number 1..2147483647, or main, is needed");
            return;
          }
          parts.add("table: " + n);
          table = true;
        }
        case "no_track" -> notes.add("no_track left out");
        default -> {
          notMapped(
              d,
              where,
              t + ": Takeover's rules match from, to, iif, oif and fwmark and look up a table");
          return;
        }
      }
    }
    if (!table) {
      notMapped(d, where, "no table: Takeover's rules look up a table");
      return;
    }
    if (v6 != null && g.ipv6 != null && !v6.equals(g.ipv6)) {
      // Allowed: a rule's family is its prefixes'. Said, since keepalived ties it to the instance.
      notes.add("of the other family than the group's addresses");
    }
    String entry = "{" + String.join(", ", parts) + "}";
    if (g.rules.contains(entry)) {
      notMapped(d, where, "the same rule twice");
      return;
    }
    if (g.rules.size() >= MAX_ROUTES) {
      notMapped(d, where, "a group has at most " + MAX_ROUTES + " rules");
      return;
    }
    g.rules.add(entry);
    add(
        d,
        where,
        notes.contains("no_track left out") ? Status.APPROXIMATED : Status.MAPPED,
        "rules: " + entry,
        String.join("; ", notes));
  }

  private void route(Group g, Directive d, String where) {
    List<String> tokens = new ArrayList<>();
    tokens.add(d.keyword());
    tokens.addAll(d.args());
    String destination = null;
    String gateway = null;
    String dev = null;
    String source = null;
    Long metric = null;
    Integer table = null;
    List<String> notes = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      String value = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
      switch (t) {
        case "blackhole", "unreachable", "prohibit", "throw" -> {
          notMapped(d, where, "a " + t + " route: Takeover installs unicast routes only");
          return;
        }
        case "to" -> {
          i++;
          destination = value;
        }
        case "via", "gw" -> {
          i++;
          if (gateway != null) {
            notMapped(d, where, "more than one gateway");
            return;
          }
          gateway = value;
        }
        case "or" -> {
          i++;
          notes.add("the alternative gateway " + value + " (or) is left out");
        }
        case "dev" -> {
          i++;
          dev = value;
        }
        case "metric", "preference", "priority" -> {
          i++;
          Integer m = integer(value, 0, Integer.MAX_VALUE);
          if (m == null) {
            notMapped(d, where, t + " not 0..2147483647");
            return;
          }
          metric = m.longValue();
        }
        case "table" -> {
          i++;
          Integer n =
              "main".equals(value) ? Integer.valueOf(254) : integer(value, 1, Integer.MAX_VALUE);
          if (n == null || n == 253 || n == 255) {
            notMapped(
                d,
                where,
                "table " + value + ": a number 1..2147483647 (not 253 or 255), or main, is needed");
            return;
          }
          table = n;
        }
        case "src" -> {
          i++;
          source = value;
        }
        case "scope" -> {
          i++;
          notes.add("scope " + value + " left out: link without a gateway, global with one");
        }
        case "onlink", "no_track" -> notes.add(t + " left out");
        default -> {
          if (destination == null && (i == 0 || t.contains("/") || address(t) != null)) {
            destination = t;
          } else {
            notes.add(t + " left out");
          }
        }
      }
    }
    if (destination == null) {
      notMapped(d, where, "no destination");
      return;
    }
    String dest = destination.toLowerCase(Locale.ROOT);
    InetAddress destAddress = null;
    if (!dest.equals("default")) {
      int slash = dest.indexOf('/');
      destAddress = address(slash < 0 ? dest : dest.substring(0, slash));
      if (destAddress == null) {
        notMapped(d, where, "destination " + destination + " is not a prefix");
        return;
      }
      int max = destAddress instanceof Inet4Address ? 32 : 128;
      Integer length =
          slash < 0 ? Integer.valueOf(max) : integer(dest.substring(slash + 1), 0, max);
      if (length == null) {
        notMapped(d, where, "destination " + destination + " has no usable prefix length");
        return;
      }
      if (!network(destAddress, length)) {
        notMapped(d, where, "destination " + destination + " has host bits set");
        return;
      }
      dest = length == 0 ? "default" : (slash < 0 ? dest : dest.substring(0, slash)) + "/" + length;
    }
    InetAddress gw = null;
    if (gateway != null) {
      gw = address(gateway);
      if (gw == null
          || gw.isAnyLocalAddress()
          || gw.isLoopbackAddress()
          || gw.isMulticastAddress()
          || (destAddress != null
              && (gw instanceof Inet4Address) != (destAddress instanceof Inet4Address))) {
        notMapped(
            d,
            where,
            "gateway " + gateway + " is not a unicast address of the destination's family");
        return;
      }
      gateway = gateway.toLowerCase(Locale.ROOT);
    }
    if (dev != null && !interfaceName(dev)) {
      notMapped(d, where, "dev " + dev + ": " + INTERFACE_RULE);
      return;
    }
    if (source != null) {
      InetAddress src = address(source);
      InetAddress family = destAddress != null ? destAddress : gw;
      if (src == null
          || src.isAnyLocalAddress()
          || src.isLoopbackAddress()
          || src.isMulticastAddress()
          || (family != null
              && (src instanceof Inet4Address) != (family instanceof Inet4Address))) {
        notes.add("src " + source + " left out: not a unicast address of the destination's family");
        source = null;
      } else {
        source = source.toLowerCase(Locale.ROOT);
      }
    }
    // A default route's family: its address's or its gateway's; "default" in the YAML means the
    // group's family, so the other family's is written 0.0.0.0/0 or ::/0 (see the YAML writer).
    InetAddress familyOf = destAddress != null ? destAddress : gw;
    Boolean defaultV6 =
        (dest.equals("default") && familyOf != null) ? !(familyOf instanceof Inet4Address) : null;
    RouteOut route = new RouteOut(dest, defaultV6, gateway, dev, metric, table, source);
    if (g.routes.stream().anyMatch(r -> r.key().equals(route.key()))) {
      notMapped(d, where, "the same destination, table and metric twice");
      return;
    }
    if (g.routes.size() >= MAX_ROUTES) {
      notMapped(d, where, "a group has at most " + MAX_ROUTES + " routes");
      return;
    }
    g.routes.add(route);
    StringBuilder yaml = new StringBuilder("routes: {destination: ").append(dest);
    if (gateway != null) {
      yaml.append(", gateway: ").append(gateway);
    }
    if (dev != null) {
      yaml.append(", interface: ").append(dev);
    }
    if (metric != null) {
      yaml.append(", metric: ").append(metric);
    }
    if (table != null) {
      yaml.append(", table: ").append(table);
    }
    if (source != null) {
      yaml.append(", source: ").append(source);
    }
    yaml.append('}');
    add(
        d,
        where,
        notes.isEmpty() ? Status.MAPPED : Status.APPROXIMATED,
        yaml.toString(),
        String.join("; ", notes));
  }

  private static boolean network(InetAddress address, int length) {
    byte[] b = address.getAddress();
    for (int bit = length; bit < b.length * 8; bit++) {
      if ((b[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        return false;
      }
    }
    return true;
  }

  private void addresses(Group g, Directive block, String where, boolean excluded) {
    String inner = where + block.keyword() + " > ";
    if (block.block() == null) {
      notMapped(block, where, "no block of addresses");
      return;
    }
    if (!excluded) {
      mapped(block, where, "addresses");
    } else {
      add(
          block,
          where,
          Status.APPROXIMATED,
          "addresses",
          "Takeover lists every address in its adverts; keepalived peers log the difference");
    }
    for (Directive d : block.block()) {
      address(g, d, inner, excluded);
    }
  }

  private void address(Group g, Directive d, String where, boolean excluded) {
    String text = d.keyword();
    String ip = text;
    Integer prefix = null;
    int slash = text.indexOf('/');
    if (slash >= 0) {
      ip = text.substring(0, slash);
      prefix = integer(text.substring(slash + 1), 0, 128);
      if (prefix == null) {
        notMapped(d, where, "not an address with a prefix length");
        return;
      }
    }
    InetAddress a = address(ip);
    if (a == null) {
      notMapped(d, where, "not an IP address");
      return;
    }
    boolean v6 = !(a instanceof Inet4Address);
    int max = v6 ? 128 : 32;
    if (prefix == null) {
      prefix = max; // keepalived's default: a host address
    }
    if (prefix < 1 || prefix > max) {
      notMapped(d, where, "prefix length not 1.." + max);
      return;
    }
    String unusable = unusable(a, prefix);
    if (unusable != null) {
      notMapped(d, where, unusable + ": not a usable virtual address");
      return;
    }
    String owner = addressOwners.get(a);
    if (owner != null) {
      notMapped(d, where, "already an address of group " + owner + " (an address is in one group)");
      return;
    }
    if (g.addressValues.contains(a)) {
      notMapped(d, where, "listed twice");
      return;
    }
    if (g.ipv6 != null && g.ipv6 != v6) {
      notMapped(
          d,
          where,
          "a group's addresses are of one family"
              + (excluded ? "" : " (keepalived requires it too)")
              + "; put it in a group of its own");
      return;
    }
    List<String> notes = new ArrayList<>();
    Status status = excluded ? Status.APPROXIMATED : Status.MAPPED;
    List<String> options = d.args();
    String dev = null;
    String label = null;
    String scope = null;
    for (int i = 0; i < options.size(); i++) {
      String option = options.get(i);
      String value = i + 1 < options.size() ? options.get(i + 1) : "";
      switch (option) {
        case "dev" -> {
          i++;
          if (value.equals(g.iface)) {
            notes.add("dev is the group's interface");
          } else {
            dev = value;
            notes.add(
                "on "
                    + value
                    + ", which the group tracks (FAULT while it is down), as keepalived does"
                    + " without no_track");
          }
        }
        case "label" -> {
          i++;
          label = value;
        }
        case "scope" -> {
          i++;
          scope = value;
        }
        case "no_track" -> {
          status = Status.APPROXIMATED;
          notes.add(
              "no_track left out: Takeover puts back an address deleted while master, and tracks"
                  + " an address's other interface");
        }
        case "brd", "peer", "preferred_lft" -> {
          i++;
          status = Status.APPROXIMATED;
          notes.add(option + " " + value + " not mapped");
        }
        default -> {
          status = Status.APPROXIMATED;
          notes.add(option + " not mapped");
        }
      }
    }
    if (label != null) {
      String on = dev != null ? dev : g.iface;
      if (v6) {
        status = Status.APPROXIMATED;
        notes.add("label " + label + " left out: IPv6 addresses have no label");
        label = null;
      } else if (on == null || !label.startsWith(on) || label.getBytes(UTF_8).length > 15) {
        status = Status.APPROXIMATED;
        notes.add(
            "label "
                + label
                + " left out: a label starts with its interface's name ("
                + on
                + ") and has at most 15 bytes");
        label = null;
      }
    }
    Integer scopeValue = null;
    if (scope != null) {
      scopeValue =
          switch (scope) {
            case "global" -> null;
            case "site" -> 200;
            case "link" -> 253;
            case "host" -> 254;
            case "nowhere" -> 255;
            default -> integer(scope, 0, 255);
          };
      if (scopeValue == null && !scope.equals("global")) {
        status = Status.APPROXIMATED;
        notes.add("added with scope global, not " + scope);
      }
    }
    // As written (IPv6 in the form the user chose), lower case.
    String cidr = ip.toLowerCase(Locale.ROOT) + "/" + prefix;
    if (g.addresses.size() >= MAX_ADDRESSES) {
      notMapped(d, where, "a group has at most " + MAX_ADDRESSES + " addresses");
      return;
    }
    g.ipv6 = v6;
    if (dev == null && label == null && scopeValue == null) {
      g.addresses.add(YamlText.scalar(cidr));
    } else {
      // The long form (CONFIG.md groups[].addresses[]), as a YAML flow mapping.
      StringBuilder entry = new StringBuilder("{address: ").append(YamlText.scalar(cidr));
      if (dev != null) {
        entry.append(", interface: ").append(YamlText.scalar(dev));
      }
      if (label != null) {
        entry.append(", label: ").append(YamlText.scalar(label));
      }
      if (scopeValue != null) {
        entry.append(", scope: ").append(scopeName(scopeValue));
      }
      g.addresses.add(entry.append('}').toString());
    }
    g.addressValues.add(a);
    if (excluded) {
      notes.addFirst("an excluded address, listed in adverts");
    }
    add(d, where, status, "addresses: " + cidr, String.join("; ", notes));
  }

  /** As CONFIG.md writes a scope: its name, or its number when it has none there. */
  private static String scopeName(int scope) {
    return switch (scope) {
      case 200 -> "site";
      case 253 -> "link";
      case 254 -> "host";
      default -> Integer.toString(scope);
    };
  }

  private void peers(Group g, Directive block, String where) {
    String inner = where + "unicast_peer > ";
    if (block.block() == null) {
      notMapped(block, where, "no block of peers");
      return;
    }
    mapped(block, where, "unicast-peers");
    for (Directive d : block.block()) {
      InetAddress a = address(d.keyword());
      if (a == null) {
        notMapped(d, inner, "not an IP address");
        continue;
      }
      String peer = d.keyword().toLowerCase(Locale.ROOT);
      String unusable = unusable(a, a instanceof Inet4Address ? 32 : 128);
      if (unusable != null) {
        notMapped(d, inner, unusable + ": a peer is a unicast address");
        continue;
      }
      if (g.peerValues.contains(a)) {
        notMapped(d, inner, "listed twice");
        continue;
      }
      g.peers.add(peer);
      g.peerValues.add(a);
      if (d.args().isEmpty()) {
        mapped(d, inner, "unicast-peers: " + peer);
      } else {
        add(
            d,
            inner,
            Status.APPROXIMATED,
            "unicast-peers: " + peer,
            "min_ttl/max_ttl not mapped: Takeover accepts unicast adverts from listed peers");
      }
    }
  }

  /** {@code NAME [weight W [reverse|noreverse]]}; null weight if not given. */
  private record Tracked(String name, Integer weight, boolean reverse, String problem) {}

  private static Tracked tracked(Directive d, int limit) {
    Integer weight = null;
    boolean reverse = false;
    List<String> args = d.args();
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "weight" -> {
          weight = i + 1 < args.size() ? integer(args.get(++i), -limit, limit) : null;
          if (weight == null) {
            return new Tracked(d.keyword(), null, false, "weight not -" + limit + ".." + limit);
          }
        }
        case "reverse" -> reverse = true;
        case "noreverse", "no_reverse" -> reverse = false;
        default -> {
          return new Tracked(d.keyword(), null, false, "unknown option " + args.get(i));
        }
      }
    }
    return new Tracked(d.keyword(), weight, reverse, null);
  }

  /**
   * A keepalived weight as Takeover's: 0 is fault; negative applies while down, as in Takeover;
   * positive is added while up, which is the same as a priority raised by it and subtracted while
   * down.
   */
  private static String weight(Group g, int w) {
    if (w == 0) {
      return "fault";
    }
    if (w > 0) {
      g.boost += w;
      return String.valueOf(-w);
    }
    return String.valueOf(w);
  }

  private static String weightNote(int w, boolean zeroed) {
    if (zeroed) {
      return "weight 0 (fault), as keepalived sets it in a sync group without"
          + " sync_group_tracking_weight";
    }
    if (w > 0) {
      return "keepalived adds "
          + w
          + " while up; Takeover raises the priority by "
          + w
          + " and subtracts it while down: the same priorities";
    }
    return "";
  }

  private void trackInterfaces(Group g, Directive block, String where, boolean zeroWeights) {
    String inner = where + "track_interface > ";
    if (block.block() == null) {
      notMapped(block, where, "no block of interfaces");
      return;
    }
    mapped(block, where, "track-interfaces");
    for (Directive d : block.block()) {
      Tracked t = tracked(d, 253);
      if (t.problem() != null) {
        notMapped(d, inner, t.problem());
      } else if (!interfaceName(t.name())) {
        notMapped(d, inner, INTERFACE_RULE);
      } else if (t.reverse()) {
        notMapped(d, inner, "reverse: Takeover applies a weight only while the link is down");
      } else if (g.tracks.stream().anyMatch(x -> x.iface().equals(t.name()))) {
        notMapped(d, inner, "tracked twice");
      } else if (g.tracks.size() >= MAX_TRACKED) {
        notMapped(d, inner, "at most " + MAX_TRACKED + " tracked interfaces per group");
      } else {
        int w = t.weight() == null || zeroWeights ? 0 : t.weight();
        boolean zeroed = zeroWeights && t.weight() != null && t.weight() != 0;
        String weight = weight(g, w);
        g.tracks.add(new Track(t.name(), weight));
        String note = weightNote(w, zeroed);
        add(
            d,
            inner,
            Status.MAPPED,
            "track-interfaces: {interface: " + t.name() + ", weight: " + weight + "}",
            note);
      }
    }
  }

  private void trackScripts(Group g, Directive block, String where, boolean zeroWeights) {
    String inner = where + "track_script > ";
    if (block.block() == null) {
      notMapped(block, where, "no block of scripts");
      return;
    }
    mapped(block, where, "checks");
    for (Directive d : block.block()) {
      Tracked t = tracked(d, 253);
      Script s = scripts.get(d.keyword());
      if (s != null) {
        usedScripts.add(d.keyword());
      }
      if (t.problem() != null) {
        notMapped(d, inner, t.problem());
      } else if (s == null) {
        notMapped(d, inner, "no vrrp_script of that name");
      } else if (s.command == null) {
        notMapped(d, inner, "its vrrp_script has no usable script line");
      } else if (t.reverse() || (t.weight() == null && s.reverse)) {
        notMapped(d, inner, "reverse: Takeover applies a weight only while the check is down");
      } else if (g.checks.size() >= MAX_CHECKS) {
        notMapped(d, inner, "at most " + MAX_CHECKS + " checks per group");
      } else {
        int given = t.weight() != null ? t.weight() : s.weight;
        int w = zeroWeights ? 0 : given;
        String weight = weight(g, w);
        String name = uniqueCheckName(g, d.keyword());
        long interval = s.interval;
        Long timeout = null;
        List<String> notes = new ArrayList<>();
        if (s.timeout != null) {
          long max = Math.min(60_000, interval >= 200 ? interval - 100 : interval / 2);
          timeout = Math.clamp(s.timeout, 10, max);
          if (timeout.longValue() != s.timeout.longValue()) {
            notes.add(
                "timeout "
                    + YamlText.duration(timeout)
                    + ": Takeover's is 10ms..60s and shorter than the interval");
          }
        }
        if (!name.equals(d.keyword())) {
          notes.add("renamed: a check name has 1..32 of A-Z a-z 0-9 . _ -, unique in the group");
        }
        String wn = weightNote(w, zeroWeights && given != 0);
        if (!wn.isEmpty()) {
          notes.add(wn);
        }
        g.checks.add(new Check(name, s.command, interval, timeout, s.rise, s.fall, weight));
        boolean approx = notes.stream().anyMatch(n -> n.startsWith("timeout"));
        add(
            d,
            inner,
            approx ? Status.APPROXIMATED : Status.MAPPED,
            "checks: {name: " + name + ", type: script, weight: " + weight + "}",
            String.join("; ", notes));
      }
    }
  }

  private static String uniqueCheckName(Group g, String wanted) {
    String name = sanitize(wanted, NAME, 32);
    if (name.isEmpty()) {
      name = "check";
    }
    String unique = name;
    for (int i = 2; g.checkNames.contains(unique); i++) {
      String suffix = "-" + i;
      unique = name.substring(0, Math.min(name.length(), 32 - suffix.length())) + suffix;
    }
    g.checkNames.add(unique);
    return unique;
  }

  private void hook(Group g, Directive d, String where, String kind) {
    if (d.arg() == null) {
      notMapped(d, where, "no script");
      return;
    }
    List<String> words = words(d.arg());
    if (words.isEmpty()) {
      notMapped(d, where, "no script");
      return;
    }
    List<String> command = command(d.arg(), List.of());
    g.hooks.put(kind, command);
    List<String> notes = new ArrayList<>();
    if (!words.getFirst().startsWith("/")) {
      notes.add("not an absolute path: run by /bin/sh -c, which searches PATH");
    }
    if (d.args().size() > 1) {
      notes.add(
          "user "
              + String.join(" ", d.args().subList(1, d.args().size()))
              + " not mapped: hooks run as Takeover's user");
    }
    add(
        d,
        where,
        notes.isEmpty() ? Status.MAPPED : Status.APPROXIMATED,
        "hooks." + kind + ".command: " + YamlText.flow(command),
        String.join("; ", notes));
  }

  /**
   * keepalived's generic {@code notify} gets four more arguments: INSTANCE, the name, the new state
   * and the priority. Takeover runs one command per kind; the kinds notify_* left free get it.
   */
  private void notifyAll(Group g, Directive d, String where, String instanceName) {
    if (d.arg() == null || words(d.arg()).isEmpty()) {
      notMapped(d, where, "no script");
      return;
    }
    Map<String, String> states = new LinkedHashMap<>();
    states.put("after-claim", "MASTER");
    states.put("backup", "BACKUP");
    states.put("fault", "FAULT");
    states.put("stop", "STOP");
    List<String> used = new ArrayList<>();
    for (Map.Entry<String, String> e : states.entrySet()) {
      if (g.hooks.containsKey(e.getKey())) {
        continue;
      }
      g.hooks.put(
          e.getKey(),
          command(
              d.arg(),
              List.of("INSTANCE", instanceName, e.getValue(), String.valueOf(g.priority))));
      used.add(e.getKey());
    }
    add(
        d,
        where,
        used.isEmpty() ? Status.NOT_MAPPED : Status.APPROXIMATED,
        used.isEmpty() ? "" : "hooks." + String.join(", hooks.", used),
        (used.isEmpty() ? "every kind already has a notify_* script; " : "")
            + "called with INSTANCE NAME STATE PRIORITY as keepalived does, the configured"
            + " priority rather than the current one; Takeover's hooks also get"
            + " TAKEOVER_NEW_STATE");
  }

  /** Everything read; decide whether the group can be written and report what was left out. */
  private void finish(Group g, Directive block, String where) {
    String instanceName = block.arg();
    if (g.notify != null) {
      notifyAll(g, g.notify, where, instanceName);
    }
    int version =
        g.version != null
            ? g.version
            : globalVersion != null ? globalVersion : Boolean.TRUE.equals(g.ipv6) ? 3 : 2;
    if (version == 2 && Boolean.TRUE.equals(g.ipv6)) {
      version =
          3; // keepalived speaks VRRPv3 for IPv6 whatever vrrp_version says (RFC 3768 is IPv4)
      if (g.versionAt != null) {
        add(g.versionAt, where, Status.APPROXIMATED, "version: 3", "VRRPv2 is IPv4 only");
      }
    } else if (g.versionAt != null) {
      mapped(g.versionAt, where, version == 3 ? "(version: 3, the default)" : "version: 2");
    }
    g.version = version;
    if (g.advertAt != null) {
      long ms = g.advert;
      long v;
      String why;
      if (version == 2) {
        // RFC 3768 §5.3.7: Adver Int is one byte of whole seconds (keepalived rounds too).
        v = Math.clamp(Math.round(ms / 1000.0), 1, 255) * 1000L;
        why = "VRRPv2 counts whole seconds, 1s..255s";
      } else {
        // RFC 5798 §5.2.7: 12 bits of centiseconds.
        v = Math.clamp(Math.round(ms / 10.0) * 10, 10, 40_950);
        why = "VRRPv3 counts in centiseconds, 10ms..40.95s";
      }
      g.advert = v;
      add(
          g.advertAt,
          where,
          v == ms ? Status.MAPPED : Status.APPROXIMATED,
          "advert-interval: " + YamlText.duration(v),
          v == ms ? "" : why);
    }
    if (g.authentication != null) {
      authentication(g, version, where);
    }
    if (!g.preempt && g.preemptDelayAt != null) {
      g.preemptDelay = 0;
      report.removeIf(
          e ->
              e.file().equals(g.preemptDelayAt.file())
                  && e.line() == g.preemptDelayAt.line()
                  && e.status() == Status.MAPPED);
      notMapped(g.preemptDelayAt, where, "no effect with nopreempt (keepalived ignores it too)");
    }
    if (g.source != null && g.peers.isEmpty()) {
      report.removeIf(e -> e.file().equals(g.sourceAt.file()) && e.line() == g.sourceAt.line());
      notMapped(g.sourceAt, where, "Takeover uses unicast-source only with unicast-peers");
      g.source = null;
    }
    List<String> missing = new ArrayList<>();
    if (g.vrid == null) {
      missing.add("no virtual_router_id");
    }
    if (g.iface == null) {
      missing.add("no interface (Takeover needs the group's interface)");
    }
    if (g.addresses.isEmpty()) {
      missing.add("no virtual address Takeover can add");
    }
    String vridKey =
        g.iface + " " + (Boolean.TRUE.equals(g.ipv6) ? "IPv6" : "IPv4") + " VRID " + g.vrid;
    if (missing.isEmpty() && vridOwners.containsKey(vridKey)) {
      missing.add(
          vridKey
              + " is group "
              + vridOwners.get(vridKey)
              + " already (keepalived allows it with other unicast peers; Takeover does not)");
    }
    if (!missing.isEmpty()) {
      add(
          block,
          "",
          Status.NOT_MAPPED,
          "",
          "left out: " + String.join(", ", missing) + "; its other directives are not in the YAML");
      return;
    }
    boolean familyMismatch =
        g.ipv6 != null
            && (g.peers.stream().anyMatch(p -> p.contains(":") != g.ipv6)
                || (g.source != null && g.source.contains(":") != g.ipv6));
    if (familyMismatch) {
      for (int i = g.peers.size() - 1; i >= 0; i--) {
        if (g.peers.get(i).contains(":") != g.ipv6) {
          g.peers.remove(i);
          g.peerValues.remove(i);
        }
      }
      if (g.source != null && g.source.contains(":") != g.ipv6) {
        g.source = null;
      }
      add(block, "", Status.APPROXIMATED, "", "unicast addresses of the other family left out");
    }
    List<String> dropped = new ArrayList<>();
    for (int i = g.peers.size() - 1; i >= 0; i--) {
      if (g.addressValues.contains(g.peerValues.get(i))) {
        dropped.addFirst("peer " + g.peers.get(i) + " is a virtual address");
        g.peers.remove(i);
        g.peerValues.remove(i);
      }
    }
    if (g.source != null
        && (g.addressValues.contains(g.sourceValue)
            || g.peerValues.contains(g.sourceValue)
            || unusable(g.sourceValue, 128) != null)) {
      dropped.add("unicast_src_ip " + g.source + " is a virtual address, a peer or not unicast");
      g.source = null;
    }
    if (g.peers.isEmpty()) {
      g.source = null;
    }
    if (!dropped.isEmpty()) {
      add(block, "", Status.APPROXIMATED, "", "left out: " + String.join("; ", dropped));
    }
    int priority = g.priority;
    String boostNote = "";
    if (g.boost > 0 && priority < 255) {
      int raised = Math.min(254, priority + g.boost);
      boostNote =
          "priority "
              + raised
              + ": "
              + priority
              + " raised by the positive track weights"
              + (raised < priority + g.boost ? ", at most 254 as keepalived limits it" : "");
      priority = raised;
    }
    g.priority = priority;
    List<String> notes = new ArrayList<>();
    if (!g.name.equals(instanceName)) {
      notes.add("renamed: a group name has 1..32 of A-Z a-z 0-9 . _ -, unique");
    }
    if (!boostNote.isEmpty()) {
      notes.add(boostNote);
    }
    add(
        block,
        "",
        notes.isEmpty() ? Status.MAPPED : Status.APPROXIMATED,
        "groups: {name: " + g.name + "}",
        String.join("; ", notes));
    if (version == 2 && g.versionAt == null) {
      mapped(
          block, "", "version: 2 (keepalived speaks VRRPv2 for IPv4 unless vrrp_version 3 is set)");
    }
    groups.add(g);
    vridOwners.put(vridKey, g.name);
    g.addressValues.forEach(a -> addressOwners.put(a, g.name));
  }

  // ---- output ----------------------------------------------------------------------------------

  private String yaml(String source) {
    StringBuilder y = new StringBuilder();
    y.append("# Imported from ")
        .append(source.replace('\n', ' '))
        .append(" by `takeover import`.\n");
    y.append("# Read the import report: what was approximated or left out is listed there, with")
        .append(" its line.\n");
    y.append("node: ").append(YamlText.scalar(node)).append('\n');
    if (!announce.isEmpty()) {
      y.append("announce:\n");
      for (String key : List.of("garp-count", "garp-interval", "garp-refresh")) {
        Setting s = announce.get(key);
        if (s != null) {
          y.append("  ").append(key).append(": ").append(s.value()).append('\n');
        }
      }
    }
    if (realtimePriority != null) {
      y.append("daemon:\n  realtime-priority: ").append(realtimePriority).append('\n');
    }
    y.append("groups:\n");
    for (Group g : groups) {
      y.append("  - name: ").append(YamlText.scalar(g.name)).append('\n');
      y.append("    vrid: ").append(g.vrid).append('\n');
      y.append("    interface: ").append(YamlText.scalar(g.iface)).append('\n');
      y.append("    priority: ").append(g.priority).append('\n');
      y.append("    advert-interval: ").append(YamlText.duration(g.advert)).append('\n');
      y.append("    preempt: ").append(g.preempt).append('\n');
      if (g.version != null && g.version == 2) {
        y.append("    version: 2\n");
        if (g.password != null) {
          y.append("    authentication:\n      type: pass\n      password: ")
              .append(YamlText.scalar(g.password))
              .append('\n');
        }
      }
      if (g.preemptDelay > 0) {
        y.append("    preempt-delay: ").append(YamlText.duration(g.preemptDelay)).append('\n');
      }
      y.append("    addresses:\n");
      g.addresses.forEach(a -> y.append("      - ").append(a).append('\n'));
      if (!g.peers.isEmpty()) {
        y.append("    unicast-peers:\n");
        g.peers.forEach(p -> y.append("      - ").append(YamlText.scalar(p)).append('\n'));
        if (g.source != null) {
          y.append("    unicast-source: ").append(YamlText.scalar(g.source)).append('\n');
        }
      }
      if (!g.checks.isEmpty()) {
        y.append("    checks:\n");
        for (Check c : g.checks) {
          y.append("      - name: ").append(YamlText.scalar(c.name())).append('\n');
          y.append("        type: script\n");
          y.append("        command: ").append(YamlText.flow(c.command())).append('\n');
          y.append("        interval: ").append(YamlText.duration(c.interval())).append('\n');
          if (c.timeout() != null) {
            y.append("        timeout: ").append(YamlText.duration(c.timeout())).append('\n');
          }
          y.append("        rise: ").append(c.rise()).append('\n');
          y.append("        fall: ").append(c.fall()).append('\n');
          y.append("        weight: ").append(c.weight()).append('\n');
        }
      }
      if (!g.tracks.isEmpty()) {
        y.append("    track-interfaces:\n");
        for (Track t : g.tracks) {
          y.append("      - interface: ").append(YamlText.scalar(t.iface())).append('\n');
          y.append("        weight: ").append(t.weight()).append('\n');
        }
      }
      if (!g.trackFiles.isEmpty()) {
        y.append("    track-files:\n");
        for (TrackFileRef t : g.trackFiles) {
          y.append("      - file: ").append(YamlText.scalar(t.file())).append('\n');
          y.append("        weight: ").append(t.weight()).append('\n');
          if (t.reverse()) {
            y.append("        reverse: true\n");
          }
        }
      }
      if (!g.routes.isEmpty()) {
        y.append("    routes:\n");
        for (RouteOut r : g.routes) {
          y.append("      - destination: ")
              .append(YamlText.scalar(r.destinationIn(g.ipv6)))
              .append('\n');
          if (r.gateway() != null) {
            y.append("        gateway: ").append(YamlText.scalar(r.gateway())).append('\n');
          }
          if (r.dev() != null && !r.dev().equals(g.iface)) {
            y.append("        interface: ").append(YamlText.scalar(r.dev())).append('\n');
          }
          if (r.metric() != null) {
            y.append("        metric: ").append(r.metric()).append('\n');
          }
          if (r.table() != null) {
            y.append("        table: ").append(r.table()).append('\n');
          }
          if (r.source() != null) {
            y.append("        source: ").append(YamlText.scalar(r.source())).append('\n');
          }
        }
      }
      if (!g.rules.isEmpty()) {
        y.append("    rules:\n");
        g.rules.forEach(r -> y.append("      - ").append(r).append('\n'));
      }
      if (!g.hooks.isEmpty()) {
        y.append("    hooks:\n");
        for (String kind : List.of("after-claim", "backup", "fault", "stop")) {
          List<String> command = g.hooks.get(kind);
          if (command != null) {
            y.append("      ").append(kind).append(":\n");
            y.append("        command: ").append(YamlText.flow(command)).append('\n');
          }
        }
      }
    }
    if (!syncOut.isEmpty()) {
      y.append("sync-groups:\n");
      for (SyncOut so : syncOut) {
        y.append("  - name: ").append(YamlText.scalar(so.name())).append('\n');
        y.append("    groups: ").append(YamlText.flow(so.groups())).append('\n');
        if (!so.hooks().isEmpty()) {
          y.append("    hooks:\n");
          for (String kind : List.of("after-claim", "backup", "fault")) {
            List<String> command = so.hooks().get(kind);
            if (command != null) {
              y.append("      ").append(kind).append(":\n");
              y.append("        command: ").append(YamlText.flow(command)).append('\n');
            }
          }
        }
      }
    }
    return y.toString();
  }

  // ---- values ----------------------------------------------------------------------------------

  /** An integer in {@code min..max}, or null. */
  static Integer integer(String s, int min, int max) {
    if (s == null || !s.matches("[-+]?[0-9]{1,10}")) {
      return null;
    }
    long v = Long.parseLong(s);
    return v < min || v > max ? null : (int) v;
  }

  /** keepalived's seconds (fractions allowed) in whole milliseconds, or null. */
  static Long millis(String s) {
    if (s == null || !s.matches("[0-9]{1,9}(\\.[0-9]{1,9})?")) {
      return null;
    }
    return new BigDecimal(s).movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  /** keepalived's BOOL, where a missing value means {@code ifMissing}. */
  static boolean bool(String s, boolean ifMissing) {
    if (s == null) {
      return ifMissing;
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "on", "true", "yes" -> true;
      default -> false;
    };
  }

  /** A plain IP literal, or null; never a name lookup. */
  static InetAddress address(String s) {
    if (s == null) {
      return null;
    }
    if (s.contains(":")) {
      if (s.contains("%") || !s.matches("[0-9A-Fa-f:.]+")) {
        return null;
      }
      try {
        InetAddress a = InetAddress.ofLiteral(s);
        return a instanceof Inet4Address ? null : a; // an IPv4-mapped form
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    if (!IPV4.matcher(s).matches()) {
      return null;
    }
    return InetAddress.ofLiteral(s);
  }

  private static final String INTERFACE_RULE =
      "not an interface name Takeover accepts: 1..15 bytes, no '/', ':' or white space";

  /**
   * The validator's rule for a Linux interface name (config.Readers.interfaceNameProblem): 1..15
   * bytes of UTF-8, not "." or "..", no '/', ':', NUL or byte the kernel's isspace() takes for a
   * space (including 0xA0).
   */
  static boolean interfaceName(String name) {
    byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (bytes.length < 1 || bytes.length > 15 || name.equals(".") || name.equals("..")) {
      return false;
    }
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c == '/' || c == ':' || c == 0 || c == ' ' || (c >= 0x09 && c <= 0x0d) || c == 0xa0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Why the validator would refuse {@code a/prefix} as a virtual address (RFC 5798 §5.2.9 and the
   * rules of docs/CONFIG.md), or null.
   */
  static String unusable(InetAddress a, int prefix) {
    if (a.isAnyLocalAddress()) {
      return "the unspecified address";
    }
    if (a.isLoopbackAddress()) {
      return "a loopback address";
    }
    if (a.isMulticastAddress()) {
      return "a multicast address";
    }
    if (a instanceof Inet4Address) {
      byte[] b = a.getAddress();
      long value =
          ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
      if (value == 0xffffffffL) {
        return "the broadcast address";
      }
      if (prefix < 31) {
        long host = (1L << (32 - prefix)) - 1;
        if ((value & host) == 0) {
          return "the network address of its /" + prefix;
        }
        if ((value & host) == host) {
          return "the broadcast address of its /" + prefix;
        }
      }
    }
    return null;
  }

  /** Replaces characters outside the name's alphabet with '-' and cuts to {@code max}. */
  static String sanitize(String s, Pattern allowed, int max) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      boolean ok = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
      out.append(ok ? c : '-');
    }
    String cut = out.length() > max ? out.substring(0, max) : out.toString();
    return allowed.matcher(cut).matches() ? cut : "";
  }

  /**
   * A keepalived script string split into words as keepalived splits it: at white space, with
   * {@code '...'} (and {@code "..."}) keeping spaces in one word.
   */
  static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (char c : s.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        if (word == null) {
          word = new StringBuilder();
        }
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          out.add(word.toString());
          word = null;
        }
      } else {
        if (word == null) {
          word = new StringBuilder();
        }
        word.append(c);
      }
    }
    if (word != null) {
      out.add(word.toString());
    }
    return out;
  }

  /**
   * argv for Takeover, which runs without a shell and wants an absolute program: a relative one
   * runs through {@code /bin/sh -c}, which searches PATH as keepalived's exec does. {@code extra}
   * words are appended (the arguments keepalived adds to a generic notify).
   */
  static List<String> command(String raw, List<String> extra) {
    List<String> words = new ArrayList<>(words(raw));
    if (words.getFirst().startsWith("/") && words.getFirst().indexOf('\0') < 0) {
      words.addAll(extra);
      return List.copyOf(words);
    }
    // The script as written: the shell splits it as keepalived would, and runs what needs a
    // shell ("</dev/tcp/127.0.0.1/80" in keepalived's samples).
    StringBuilder script = new StringBuilder(raw.strip());
    extra.forEach(w -> script.append(' ').append(shellWord(w)));
    return List.of("/bin/sh", "-c", script.toString());
  }

  private static String shellWord(String w) {
    if (SAFE_SHELL_WORD.matcher(w).matches()) {
      return w;
    }
    return "'" + w.replace("'", "'\\''") + "'";
  }
}
