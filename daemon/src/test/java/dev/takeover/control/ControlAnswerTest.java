package dev.takeover.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ControlAnswerTest {
  @Test
  void aTextStatusGivesTheTableTheConflictAndTheResultAsCompactJson() throws IOException {
    ControlAnswer a =
        ControlAnswer.parse(
            "{\"ok\":true,\"result\":{\"node\":\"alpha\", \"groups\":[{\"n\":1.5,\"x\":null}]},"
                + "\"text\":\"GROUP web\\n\",\"conflict\":true}");
    assertThat(a.ok()).isTrue();
    assertThat(a.error()).isNull();
    assertThat(a.resultJson())
        .isEqualTo("{\"node\":\"alpha\",\"groups\":[{\"n\":1.5,\"x\":null}]}");
    assertThat(a.text()).isEqualTo("GROUP web\n");
    assertThat(a.conflict()).isTrue();
  }

  @Test
  void theResultIsCopiedAsTheMapperWouldWriteIt() throws IOException {
    StatusView status = FakeControlHandler.sampleStatus();
    String json = ControlJson.MAPPER.writeValueAsString(status);
    ControlAnswer a = ControlAnswer.parse("{\"ok\":true,\"result\":" + json + "}");
    assertThat(a.resultJson()).isEqualTo(json);
    assertThat(a.text()).isNull();
    assertThat(a.conflict()).isFalse();
  }

  @Test
  void aRefusalGivesItsError() throws IOException {
    ControlAnswer a = ControlAnswer.parse("{\"ok\":false,\"error\":\"no group named 'nope'\"}");
    assertThat(a.ok()).isFalse();
    assertThat(a.error()).isEqualTo("no group named 'nope'");
    assertThat(a.resultJson()).isNull();
  }

  @Test
  void fieldsANewerDaemonAddsAreSkippedWhateverTheirShape() throws IOException {
    ControlAnswer a =
        ControlAnswer.parse(
            "{\"later\":{\"a\":[1,{\"b\":2}]},\"ok\":true,\"text\":[\"not\",\"text\"],"
                + "\"error\":{\"x\":1},\"result\":[],\"also\":3}");
    assertThat(a.ok()).isTrue();
    assertThat(a.text()).isNull();
    assertThat(a.error()).isNull();
    assertThat(a.resultJson()).isEqualTo("[]");
  }

  @Test
  void somethingThatIsNotAJsonObjectIsAnIoErrorQuotingItsStart() {
    assertThatThrownBy(() -> ControlAnswer.parse("HTTP/1.1 400 Bad Request"))
        .isInstanceOf(IOException.class)
        .hasMessage("the daemon sent something that is not JSON: HTTP/1.1 400 Bad Request");
    assertThatThrownBy(() -> ControlAnswer.parse("[1,2]"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("the daemon sent something that is not JSON: [1,2]");
    assertThatThrownBy(() -> ControlAnswer.parse("{\"ok\":true,\"result\":{\"a\":"))
        .isInstanceOf(IOException.class);
  }
}
