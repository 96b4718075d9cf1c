package dev.takeover.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.takeover.control.ControlClient;
import dev.takeover.control.ControlProtocol;
import dev.takeover.control.ControlRequest;
import dev.takeover.control.DaemonUnavailableException;
import java.io.IOException;
import java.util.function.ToIntFunction;

/**
 * Sends one request for a command and turns every way it can fail into one line and an exit code.
 */
final class ControlCall {
  private ControlCall() {}

  /**
   * Calls the daemon and hands a successful {@code result} to {@code onResult} (raw with --json).
   *
   * @return the exit code from {@code onResult}, or {@link ExitCode#FAILED} after printing why
   */
  static int run(ControlOptions options, ControlRequest request, ToIntFunction<JsonNode> onResult) {
    JsonNode response;
    try {
      response = new ControlClient(options.socket).call(request);
    } catch (DaemonUnavailableException e) {
      return fail(e.getMessage());
    } catch (IOException e) {
      return fail("control socket " + options.socket + ": " + e.getMessage());
    }
    if (!response.path("ok").asBoolean(false)) {
      return fail(response.path("error").asText("the daemon refused the request"));
    }
    JsonNode result = response.path("result");
    if (options.json) {
      System.out.println(json(result));
      return ExitCode.OK.code;
    }
    try {
      return onResult.applyAsInt(result);
    } catch (IllegalStateException e) {
      return fail(e.getMessage());
    }
  }

  static int fail(String message) {
    System.err.println("takeover: " + message);
    return ExitCode.FAILED.code;
  }

  static String json(JsonNode node) {
    try {
      return ControlProtocol.JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code result} as a record of {@code type}; lenient about fields a newer daemon added. */
  static <T> T as(JsonNode result, Class<T> type) {
    try {
      return ControlProtocol.JSON.treeToValue(result, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the daemon's answer is not a " + type.getSimpleName(), e);
    }
  }
}
