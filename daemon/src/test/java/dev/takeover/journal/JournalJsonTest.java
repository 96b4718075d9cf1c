package dev.takeover.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.takeover.action.GroupState;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalJsonTest {
  private static final Instant T = Instant.parse("2025-11-03T10:15:30.123456Z");

  @Test
  void eventSurvivesARoundTripWithFieldsInOrder() throws Exception {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("to", GroupState.MASTER);
    fields.put("from", GroupState.BACKUP);
    fields.put("exitCode", 3);
    fields.put("durationMs", Duration.ofMillis(1500));
    fields.put("address", InetAddress.getByName("2001:db8:0:0:0:0:0:50"));
    fields.put("nothing", null);
    fields.put("ratio", 0.25);
    fields.put("list", List.of("198.18.0.50/24", 7));
    fields.put("nested", Map.of("up", true));
    JournalEvent event =
        new JournalEvent(
            "0mhk2x9qz0000-lb1",
            T,
            81_234_567_890L,
            "lb1",
            "web",
            EventType.STATE_CHANGED,
            "BACKUP -> MASTER (line\nbreak \"quoted\")",
            fields);

    String line = JournalJson.write(event);
    JournalEvent back = JournalJson.parse(line);

    assertThat(line).doesNotContain("\n");
    assertThat(back).isEqualTo(event);
    assertThat(back.fields().keySet())
        .containsExactly(
            "to",
            "from",
            "exitCode",
            "durationMs",
            "address",
            "nothing",
            "ratio",
            "list",
            "nested");
    assertThat(back.fields())
        .containsEntry("to", "MASTER")
        .containsEntry("exitCode", 3L)
        .containsEntry("durationMs", 1500L)
        .containsEntry("address", "2001:db8::50");
  }

  @Test
  void keysComeInAFixedOrderAndANullGroupIsLeftOut() {
    JournalEvent event =
        new JournalEvent(
            "0mhk2x9qz0000-lb1", T, 5, "lb1", null, EventType.DAEMON_STARTED, "started", Map.of());

    String line = JournalJson.write(event);

    assertThat(line)
        .isEqualTo(
            "{\"id\":\"0mhk2x9qz0000-lb1\",\"time\":\"2025-11-03T10:15:30.123456Z\","
                + "\"monotonicNanos\":5,\"node\":\"lb1\",\"type\":\"daemon.started\","
                + "\"message\":\"started\",\"fields\":{}}");
    assertThat(JournalJson.parse(line)).isEqualTo(event);
  }

  @Test
  void aLineTheObjectMapperWroteReadsBackTheSameAndIsWrittenTheSame() {
    // Written by the version that used Jackson's object mapper (stop 22), byte for byte.
    String line =
        "{\"id\":\"0mhk2x9qz0000-lb1\",\"time\":\"2025-11-03T10:15:30.123456Z\","
            + "\"monotonicNanos\":81234567890,\"node\":\"lb1\",\"group\":\"web\","
            + "\"type\":\"state.changed\",\"message\":\"a \\\"b\\\"\\nc\","
            + "\"fields\":{\"n\":-3,\"big\":\"123456789012345678901234567890\",\"d\":1.0E20,"
            + "\"e\":0.25,\"t\":true,\"f\":false,\"z\":null,\"l\":[1,\"x\",[],{}],"
            + "\"m\":{\"k\":{\"deep\":[null]}}}}";
    JournalEvent event = JournalJson.parse(line);
    assertThat(event.message()).isEqualTo("a \"b\"\nc");
    assertThat(event.fields())
        .containsEntry("n", -3L)
        .containsEntry("d", 1.0e20)
        .containsEntry("t", true)
        .containsEntry("z", null)
        .containsEntry("l", List.of(1L, "x", List.of(), Map.of()))
        .containsEntry("m", Map.of("k", Map.of("deep", Arrays.asList((Object) null))));
    assertThat(JournalJson.write(event)).isEqualTo(line);
  }

  @Test
  void aNumberTooBigForALongIsKeptAsItsText() {
    String line =
        JournalJson.write(
                new JournalEvent("i", T, 1, "lb1", null, EventType.CHECK_UP, "up", Map.of()))
            .replace("\"fields\":{}", "\"fields\":{\"huge\":123456789012345678901234567890}");
    assertThat(JournalJson.parse(line).fields())
        .containsEntry("huge", "123456789012345678901234567890");
  }

  @Test
  void aLineCutAnywhereIsRejectedNeverReadAsAnEvent() {
    String whole =
        JournalJson.write(
            new JournalEvent(
                "0mhk2x9qz0000-lb1",
                T,
                5,
                "lb1",
                "web",
                EventType.CHECK_UP,
                "up",
                Map.of("l", List.of(1, 2), "m", Map.of("a", "b"))));
    for (int cut = 0; cut < whole.length(); cut++) {
      String torn = whole.substring(0, cut);
      assertThatThrownBy(() -> JournalJson.parse(torn))
          .as(torn)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void tornAndForeignLinesAreRejectedWithAReason() {
    String whole =
        JournalJson.write(
            new JournalEvent(
                "0mhk2x9qz0000-lb1", T, 5, "lb1", "web", EventType.CHECK_UP, "up", null));

    assertThatThrownBy(() -> JournalJson.parse(whole.substring(0, whole.length() / 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not JSON");
    assertThatThrownBy(() -> JournalJson.parse(whole.replace("check.up", "check.sideways")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown event type check.sideways");
    assertThatThrownBy(() -> JournalJson.parse("[1,2]"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void wireNamesAreStableLowerCaseDottedAndUnique() {
    assertThat(Arrays.stream(EventType.values()).map(EventType::wireName))
        .allMatch(n -> n.matches("[a-z]+(\\.[a-z]+){1,2}"))
        .doesNotHaveDuplicates();
    for (EventType t : EventType.values()) {
      assertThat(EventType.fromWireName(t.wireName())).contains(t);
    }
    assertThat(EventType.STATE_CHANGED.wireName()).isEqualTo("state.changed");
    assertThat(EventType.HOOK_FINISHED.wireName()).isEqualTo("hook.finished");
    assertThat(new HashSet<>(List.of(EventType.values()))).hasSize(30);
  }

  @Test
  void factoriesGiveEachTypeItsFields() throws Exception {
    EventDraft state =
        Events.stateChanged(
            "web", GroupState.BACKUP, GroupState.MASTER, "master down timer expired");
    EventDraft hook = Events.hookFinished("web", "notify-master", 0, Duration.ofMillis(42), false);
    EventDraft timeout =
        Events.advertTimeout("web", InetAddress.getByName("198.18.0.2"), Duration.ofMillis(3609));

    assertThat(state.message()).isEqualTo("BACKUP -> MASTER (master down timer expired)");
    assertThat(state.fields().keySet()).containsExactly("from", "to", "reason");
    assertThat(hook.fields())
        .containsEntry("exitCode", 0L)
        .containsEntry("durationMs", 42L)
        .containsEntry("timedOut", false);
    assertThat(timeout.fields()).containsEntry("master", "198.18.0.2");
    assertThat(timeout.message()).isEqualTo("no advert for 3609 ms (master 198.18.0.2)");
  }
}
