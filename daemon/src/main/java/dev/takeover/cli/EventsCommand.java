package dev.takeover.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.takeover.control.ControlClient;
import dev.takeover.control.ControlJson;
import dev.takeover.control.ControlProtocol;
import dev.takeover.control.ControlRequest;
import dev.takeover.control.DaemonUnavailableException;
import dev.takeover.journal.Journal;
import dev.takeover.journal.JournalEvent;
import dev.takeover.journal.JournalJson;
import dev.takeover.journal.ReadResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = {
      "Show the daemon's recent events; with --follow, keep printing new ones.",
      "With --file, read a journal file (or a state directory's journal) without a daemon."
    })
public final class EventsCommand implements Callable<Integer> {
  /** Shown first, in this order; every other field follows as key=value. */
  private static final List<String> LEADING = List.of("time", "group", "type");

  @Spec CommandSpec spec;

  @Mixin ControlOptions control;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep the connection open and print events as they happen (Ctrl-C to stop).")
  boolean follow;

  @Option(
      names = {"-n", "--lines"},
      paramLabel = "N",
      defaultValue = "" + ControlProtocol.DEFAULT_EVENTS,
      description = "How many recent events to show first (default: ${DEFAULT-VALUE}).")
  int lines;

  @Option(
      names = "--file",
      paramLabel = "PATH",
      description =
          "Read this journal file (journal.jsonl), or every journal file of this state directory,"
              + " offline: no daemon needed, e.g. after a crash.")
  Path file;

  @Override
  public Integer call() {
    ControlCall call = new ControlCall(spec, control);
    if (lines < 0 || lines > ControlProtocol.MAX_EVENTS) {
      return call.fail("-n must be between 0 and " + ControlProtocol.MAX_EVENTS);
    }
    PrintWriter out = call.out();
    if (file != null) {
      if (follow) {
        throw new ParameterException(
            spec.commandLine(), "--follow needs the daemon; --file reads what is written");
      }
      return offline(call);
    }
    if (!follow) {
      // --json is handled per event here, one object per line, the same as --follow prints.
      JsonNode result = call.call(new ControlRequest.Events(lines, false));
      if (result == null) {
        return call.failure();
      }
      for (JsonNode event : result) {
        out.println(print(event));
      }
      out.flush();
      return ExitCode.OK.code;
    }
    Optional<Path> socket = call.socket();
    if (socket.isEmpty()) {
      return call.failure();
    }
    AtomicReference<String> error = new AtomicReference<>();
    try {
      new ControlClient(socket.get())
          .follow(
              new ControlRequest.Events(lines, true),
              response -> {
                if (response.path("ok").asBoolean(false)) {
                  out.println(print(response.path("event")));
                  out.flush();
                } else {
                  error.set(response.path("error").asText("the daemon ended the stream"));
                }
              });
    } catch (DaemonUnavailableException e) {
      return call.fail(e.getMessage());
    } catch (IOException e) {
      return call.fail("control socket " + socket.get() + ": " + e.getMessage());
    }
    // The daemon closing the stream (it stopped) is a normal end; an error line is not.
    return error.get() == null ? ExitCode.OK.code : call.fail(error.get());
  }

  /**
   * The last {@code -n} events of a journal file, or of a state directory's journal files (rotated
   * ones included), as the daemon would send them. Lines that are not events (a line torn by a
   * crash) are reported on stderr and skipped.
   */
  private int offline(ControlCall call) {
    if (!Files.exists(file)) {
      return call.fail(file + ": no such file or directory");
    }
    ReadResult read;
    try {
      read =
          Files.isDirectory(file)
              ? Journal.read(file, e -> true, lines)
              : Journal.readFile(file, e -> true, lines);
    } catch (UncheckedIOException e) {
      return call.fail(file + ": " + e.getCause().getMessage());
    }
    for (ReadResult.SkippedLine skipped : read.skipped()) {
      call.err().println("takeover: skipped " + skipped);
    }
    for (JournalEvent event : read.events()) {
      // The daemon sends each event as its journal line parsed (DaemonControl), so print the same.
      call.out().println(print(tree(JournalJson.write(event))));
    }
    call.out().flush();
    return ExitCode.OK.code;
  }

  private static JsonNode tree(String json) {
    try {
      return ControlJson.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a journal line is not JSON: " + json, e);
    }
  }

  private String print(JsonNode event) {
    return control.json ? ControlCall.json(event) : line(event);
  }

  /** {@code time group type key=value ...} */
  static String line(JsonNode event) {
    StringBuilder s = new StringBuilder();
    for (String key : LEADING) {
      JsonNode v = event.get(key);
      if (v != null && !v.isNull()) {
        s.append(s.isEmpty() ? "" : "  ").append(v.asText());
      }
    }
    for (Map.Entry<String, JsonNode> f : event.properties()) {
      if (LEADING.contains(f.getKey()) || f.getKey().equals("seq")) {
        continue;
      }
      JsonNode v = f.getValue();
      s.append(s.isEmpty() ? "" : "  ")
          .append(f.getKey())
          .append('=')
          .append(v.isValueNode() ? v.asText() : ControlCall.json(v));
    }
    return s.toString();
  }
}
