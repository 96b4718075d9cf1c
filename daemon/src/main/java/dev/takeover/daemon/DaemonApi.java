package dev.takeover.daemon;

import dev.takeover.api.ApiBackend;
import dev.takeover.config.TakeoverConfig;
import dev.takeover.control.ControlHandler;
import dev.takeover.engine.Engine;
import dev.takeover.metrics.Metrics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The daemon's side of the HTTP API and the metrics: the control socket's handler for everything
 * that reads or changes groups, and short engine tasks for the rest, so the engine thread stays the
 * only owner of its state.
 */
final class DaemonApi implements ApiBackend {
  private final Node node;
  private final Engine engine;
  private final DaemonControl control;

  DaemonApi(Node node, Engine engine, DaemonControl control) {
    this.node = node;
    this.engine = engine;
    this.control = control;
  }

  @Override
  public ControlHandler control() {
    return control;
  }

  @Override
  public TakeoverConfig config() {
    return DaemonControl.onEngine(engine, node::config);
  }

  @Override
  public Path stateDir() {
    return config().daemon().stateDir();
  }

  @Override
  public boolean maintenance() {
    return DaemonControl.onEngine(engine, node::maintenance);
  }

  /** One scrape's sample: the status snapshot, then the advert counters in one engine task. */
  Metrics.Sample sample() {
    var status = control.status();
    return DaemonControl.onEngine(
        engine,
        () -> {
          Map<String, Long> sent = new LinkedHashMap<>();
          for (Node.Running r : node.groups()) {
            sent.put(r.config().name(), r.effects().advertsSent());
          }
          return new Metrics.Sample(status, sent, node.advertsAccepted(), node.maintenance());
        });
  }
}
