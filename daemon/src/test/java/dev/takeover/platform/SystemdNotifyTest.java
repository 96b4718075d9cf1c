package dev.takeover.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdNotifyTest {

  @Test
  void sendsEachMessageAsOneDatagramToAPathSocket(@TempDir Path dir) {
    String path = dir.resolve("notify").toString();
    try (UnixDatagramReceiver systemd = new UnixDatagramReceiver(path);
        SystemdNotify notify = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", path))) {
      assertThat(notify.enabled()).isTrue();
      assertThat(notify.send("READY=1\nSTATUS=running 2 group(s)")).isTrue();
      assertThat(notify.send("WATCHDOG=1")).isTrue();
      assertThat(systemd.drain())
          .containsExactly("READY=1\nSTATUS=running 2 group(s)", "WATCHDOG=1");
    }
  }

  @Test
  void reachesAnAbstractSocket() {
    String name = "@takeover-test-" + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
    try (UnixDatagramReceiver systemd = new UnixDatagramReceiver(name);
        SystemdNotify notify = SystemdNotify.open(name)) {
      assertThat(notify.send("STOPPING=1")).isTrue();
      assertThat(systemd.drain()).containsExactly("STOPPING=1");
    }
  }

  @Test
  void doesNothingOutsideSystemd() {
    try (SystemdNotify notify = SystemdNotify.fromEnvironment(Map.of())) {
      assertThat(notify.enabled()).isFalse();
      assertThat(notify.send("READY=1")).isFalse();
    }
  }

  @Test
  void aMissingReceiverIsReportedNotThrown(@TempDir Path dir) {
    try (SystemdNotify notify = SystemdNotify.open(dir.resolve("gone").toString())) {
      assertThat(notify.send("READY=1")).isFalse();
    }
  }

  @Test
  void rejectsNamesThatAreNoSocketAddress() {
    assertThatThrownBy(() -> SystemdNotify.open("relative/path"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SystemdNotify.open("/" + "x".repeat(SystemdNotify.SUN_PATH_SIZE)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
