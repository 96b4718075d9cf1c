package dev.takeover.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.takeover.control.ControlAnswer;
import dev.takeover.control.ControlClient;
import dev.takeover.control.ControlJson;
import dev.takeover.control.ControlRequest;
import dev.takeover.control.DaemonUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Model.CommandSpec;

/**
 * One command's conversation with the daemon: sends a request, turns every way it can fail into one
 * line on the command's stderr and an exit code, and prints through the command's picocli writers.
 */
final class ControlCall {
  private final ControlOptions options;
  private final PrintWriter out;
  private final PrintWriter err;
  private int failure = ExitCode.FAILED.code;

  ControlCall(CommandSpec spec, ControlOptions options) {
    this.options = options;
    this.out = spec.commandLine().getOut();
    this.err = spec.commandLine().getErr();
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  /**
   * Calls the daemon and reads its {@code result} as a {@code type}. With {@code --json} the result
   * is printed verbatim, otherwise {@code text} prints it; either way the exit code is {@code
   * exitCode} of the result, so scripts see the same code in both modes.
   *
   * @return that exit code, or {@link ExitCode#FAILED} after printing why there is no result
   */
  <T> int run(ControlRequest request, Class<T> type, ToIntFunction<T> exitCode, Consumer<T> text) {
    JsonNode result = call(request);
    if (result == null) {
      return failure;
    }
    try {
      T answer = as(result, type);
      if (options.json) {
        out.println(json(result));
      } else {
        text.accept(answer);
      }
      return exitCode.applyAsInt(answer);
    } catch (IllegalStateException e) {
      return fail(e.getMessage());
    } finally {
      out.flush(); // print() does not flush by itself, even on an auto-flushing writer
    }
  }

  /**
   * The daemon's answer, read without the object mapper ({@link ControlAnswer}); null after
   * printing why there is none, or why the daemon refused.
   */
  ControlAnswer answer(ControlRequest request) {
    Optional<Path> socket = socket();
    if (socket.isEmpty()) {
      return null;
    }
    ControlAnswer answer;
    try {
      answer = new ControlClient(socket.get()).answer(request);
    } catch (DaemonUnavailableException e) {
      fail(e.getMessage());
      return null;
    } catch (IOException e) {
      fail("control socket " + socket.get() + ": " + e.getMessage());
      return null;
    }
    if (!answer.ok()) {
      fail(answer.error() != null ? answer.error() : "the daemon refused the request");
      return null;
    }
    return answer;
  }

  /** The daemon's {@code result}, or null after printing why there is none. */
  JsonNode call(ControlRequest request) {
    ControlAnswer answer = answer(request);
    if (answer == null) {
      return null;
    }
    if (answer.resultJson() == null) {
      return MissingNode.getInstance();
    }
    try {
      return ControlJson.MAPPER.readTree(answer.resultJson());
    } catch (JsonProcessingException e) {
      fail("the daemon's result cannot be read: " + e.getOriginalMessage());
      return null;
    }
  }

  /**
   * The socket from the options; empty after printing why the configuration named for it cannot be
   * read, and then {@link #failure()} is {@link ExitCode#INVALID_CONFIG}.
   */
  Optional<Path> socket() {
    Optional<Path> socket = options.socket(err);
    if (socket.isEmpty()) {
      failure = ExitCode.INVALID_CONFIG.code;
    }
    return socket;
  }

  /** The exit code after {@link #call} returned null: the configuration, or the daemon, failed. */
  int failure() {
    return failure;
  }

  /** Prints {@code takeover: message} on stderr and returns {@link ExitCode#FAILED}. */
  int fail(String message) {
    err.println("takeover: " + message);
    return ExitCode.FAILED.code;
  }

  static String json(JsonNode node) {
    try {
      return ControlJson.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code result} as a record of {@code type}; lenient about fields a newer daemon added. */
  static <T> T as(JsonNode result, Class<T> type) {
    try {
      return ControlJson.MAPPER.treeToValue(result, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the daemon's answer is not a " + type.getSimpleName(), e);
    }
  }
}
