package dev.takeover.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A VRRP daemon running on a lab node: {@code takeover run}, or keepalived as the reference
 * implementation (for interoperability tests and to compare numbers).
 *
 * <p>A crash ({@link #crash()}) must leave the node the way a real crash does: no priority-0
 * advert, VIPs left on the interface. For keepalived that means SIGKILL to the VRRP child first:
 * when only the parent dies, the child gets SIGTERM from the kernel (parent-death signal) and shuts
 * down gracefully.
 */
public final class NodeDaemon {
  public enum Kind {
    TAKEOVER,
    KEEPALIVED
  }

  private final Kind kind;
  private final NodeConfig config;
  private final LabProcess process;
  private final Path vrrpPidFile; // keepalived only
  private final Path configFile;

  private NodeDaemon(
      Kind kind, NodeConfig config, LabProcess process, Path vrrpPidFile, Path configFile) {
    this.kind = kind;
    this.config = config;
    this.process = process;
    this.vrrpPidFile = vrrpPidFile;
    this.configFile = configFile;
  }

  /**
   * How to start a daemon beyond its group configuration.
   *
   * @param takeoverCommand the command line that {@code run -c FILE} is appended to, e.g. the
   *     repository's {@code takeover} launcher script or {@link JavaLauncher#takeover}
   * @param takeoverDaemonYaml lines added to takeover's {@code daemon} section, indented by two
   * @param keepalivedGlobalDefs lines added to keepalived's {@code global_defs}, indented by two
   * @param keepalivedInstance lines added to keepalived's {@code vrrp_instance} (e.g. {@code
   *     authentication}), indented by two
   */
  public record Launch(
      List<String> takeoverCommand,
      String takeoverDaemonYaml,
      String keepalivedGlobalDefs,
      String keepalivedInstance) {
    public Launch {
      takeoverCommand = List.copyOf(takeoverCommand);
    }

    /** Without extra {@code vrrp_instance} lines. */
    public Launch(
        List<String> takeoverCommand, String takeoverDaemonYaml, String keepalivedGlobalDefs) {
      this(takeoverCommand, takeoverDaemonYaml, keepalivedGlobalDefs, "");
    }

    /** The lab's usual launch: takeover in a JVM started by {@code launcher}, default settings. */
    public static Launch of(JavaLauncher launcher) {
      return new Launch(launcher.takeover(), "", "");
    }
  }

  /**
   * Writes the configuration into {@code workDir} and starts the daemon in the node's namespace;
   * its output is appended to {@code logFile}.
   */
  public static NodeDaemon start(
      Lab lab, Kind kind, NodeConfig config, JavaLauncher launcher, Path workDir, Path logFile) {
    return start(lab, kind, config, Launch.of(launcher), workDir, logFile);
  }

  /** Writes the configuration and starts the daemon as {@code launch} says. */
  public static NodeDaemon start(
      Lab lab, Kind kind, NodeConfig config, Launch launch, Path workDir, Path logFile) {
    String node = config.node();
    return switch (kind) {
      case TAKEOVER -> {
        Path file = config.write(workDir, launch.takeoverDaemonYaml());
        List<String> argv = new ArrayList<>(launch.takeoverCommand());
        argv.addAll(List.of("run", "-c", file.toString()));
        yield new NodeDaemon(kind, config, lab.start(node, argv, logFile), null, file);
      }
      case KEEPALIVED ->
          keepalived(
              lab,
              config,
              keepalivedConf(config, launch.keepalivedGlobalDefs(), launch.keepalivedInstance()),
              workDir,
              logFile);
    };
  }

  /**
   * keepalived in {@code config.node()}'s namespace with {@code conf} as its whole configuration
   * (written to {@link #keepalivedConfFile}), for configurations the lab's generator does not make:
   * several instances, sync groups, scripts. {@code config} names the node for the lab.
   */
  public static NodeDaemon keepalived(
      Lab lab, NodeConfig config, String conf, Path workDir, Path logFile) {
    String node = config.node();
    try {
      Files.createDirectories(workDir);
      Path file = keepalivedConfFile(workDir, node);
      Files.writeString(file, conf);
      // Unique pid files: the default /run/keepalived.pid would clash between nodes.
      Path pid = workDir.resolve(node + "-keepalived.pid");
      Path vrrpPid = workDir.resolve(node + "-vrrp.pid");
      Files.deleteIfExists(vrrpPid);
      List<String> argv =
          List.of(
              "keepalived",
              "-n",
              "-l",
              "-D",
              "--vrrp",
              "-f",
              file.toString(),
              "-p",
              pid.toString(),
              "-r",
              vrrpPid.toString());
      return new NodeDaemon(Kind.KEEPALIVED, config, lab.start(node, argv, logFile), vrrpPid, file);
    } catch (IOException e) {
      throw new LabException("cannot write keepalived config for " + node, e);
    }
  }

  /** Where {@link #start} writes keepalived's configuration for {@code node}. */
  public static Path keepalivedConfFile(Path workDir, String node) {
    return workDir.resolve(node + "-keepalived.conf");
  }

  /** A keepalived configuration equivalent to {@code config} (IPv4 VIPs only). */
  public static String keepalivedConf(NodeConfig config) {
    return keepalivedConf(config, "");
  }

  /** As {@link #keepalivedConf(NodeConfig)}, with {@code globalDefs} lines added to global_defs. */
  public static String keepalivedConf(NodeConfig config, String globalDefs) {
    return keepalivedConf(config, globalDefs, "");
  }

  /**
   * As {@link #keepalivedConf(NodeConfig, String)}, with {@code instance} lines in the instance.
   */
  public static String keepalivedConf(NodeConfig config, String globalDefs, String instance) {
    StringBuilder k = new StringBuilder();
    k.append("global_defs {\n  router_id ").append(config.node()).append("\n  vrrp_version 3\n");
    k.append(globalDefs).append("}\n");
    k.append("vrrp_instance ").append(config.group()).append(" {\n");
    k.append("  state BACKUP\n"); // as RFC 5798 §6.4.1 for priority < 255: start as backup
    k.append("  interface ").append(config.iface()).append('\n');
    k.append("  virtual_router_id ").append(config.vrid()).append('\n');
    k.append("  priority ").append(config.priority()).append('\n');
    k.append("  advert_int ").append(config.advertInterval().toMillis() / 1000.0).append('\n');
    if (!config.preempt()) {
      k.append("  nopreempt\n");
    }
    if (!config.unicastPeers().isEmpty()) {
      k.append("  unicast_src_ip ").append(Lab.ipv4(config.node())).append('\n');
      k.append("  unicast_peer {\n");
      config.unicastPeers().forEach(p -> k.append("    ").append(p).append('\n'));
      k.append("  }\n");
    }
    k.append(instance);
    k.append("  virtual_ipaddress {\n");
    config.addresses().forEach(a -> k.append("    ").append(a).append('\n'));
    k.append("  }\n}\n");
    return k.toString();
  }

  public Kind kind() {
    return kind;
  }

  public String node() {
    return config.node();
  }

  public NodeConfig config() {
    return config;
  }

  public LabProcess process() {
    return process;
  }

  /** The configuration file the daemon was started with (rewrite it, then {@link #reload()}). */
  public Path configFile() {
    return configFile;
  }

  /** Asks the daemon to re-read its configuration file (SIGHUP). */
  public void reload() {
    process.signal(LabProcess.Signal.HUP);
  }

  /**
   * The PIDs of every process of this daemon: the one the lab started and its descendants (for
   * keepalived, the VRRP child). Empty once it has exited.
   */
  public List<Long> pids() {
    return process.pids();
  }

  /** Dies like a crashed server process: SIGKILL, no goodbye, VIPs stay where they are. */
  public void crash() {
    vrrpChildPid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    process.signal(LabProcess.Signal.KILL);
    process.waitFor(Duration.ofSeconds(5));
  }

  /** Orderly stop (SIGTERM); returns the exit code, or empty if it did not exit in time. */
  public Optional<Integer> terminate(Duration timeout) {
    process.signal(LabProcess.Signal.TERM);
    return process.waitFor(timeout);
  }

  private Optional<Long> vrrpChildPid() {
    if (vrrpPidFile == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(Files.readString(vrrpPidFile).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** keepalived's console log lines mentioning its state, e.g. "(web) Entering MASTER STATE". */
  public List<String> stateLines() {
    List<String> lines = new ArrayList<>();
    process
        .log()
        .lines()
        .filter(l -> l.contains("Entering ") && l.contains(" STATE"))
        .forEach(lines::add);
    return lines;
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + "@" + node() + " " + process;
  }
}
