package dev.takeover.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlRequestTest {
  @Test
  void everyRequestIsOneLineThatParsesBackToItself() throws IOException {
    List<ControlRequest> requests =
        List.of(
            new ControlRequest.Status(),
            new ControlRequest.Status(true),
            new ControlRequest.Events(20, false),
            new ControlRequest.Events(0, true),
            new ControlRequest.Move("web", "beta"),
            new ControlRequest.Move("web", null, true),
            new ControlRequest.Maintenance(true),
            new ControlRequest.Maintenance(false),
            new ControlRequest.Reload());
    for (ControlRequest request : requests) {
      String line = request.toJsonLine();
      assertThat(line).doesNotContain("\n");
      assertThat(ControlRequest.fromJson(ControlJson.MAPPER.readTree(line)))
          .as(line)
          .isEqualTo(request);
    }
  }

  @Test
  void theLinesAreTheDocumentedOnes() {
    assertThat(new ControlRequest.Status().toJsonLine()).isEqualTo("{\"cmd\":\"status\"}");
    assertThat(new ControlRequest.Status(true).toJsonLine())
        .isEqualTo("{\"cmd\":\"status\",\"text\":true}");
    assertThat(new ControlRequest.Move("web", "b\"eta").toJsonLine())
        .isEqualTo("{\"cmd\":\"move\",\"group\":\"web\",\"to\":\"b\\\"eta\"}");
    assertThat(new ControlRequest.Move("web", null, true).toJsonLine())
        .isEqualTo("{\"cmd\":\"move\",\"group\":\"web\",\"clear\":true}");
  }
}
