package dev.takeover.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NetnsTest {

  @Test
  void refusesVirtualThreads() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                Netns.enter("anything");
              } catch (Throwable t) {
                failure.set(t);
              }
            })
        .join();
    assertThat(failure.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("platform thread");
  }

  @Test
  void rejectsPathsAsNames() {
    assertThatThrownBy(() -> Netns.enter("../etc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Netns.enter("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void missingNamespaceNamesTheCallAndErrno() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread.ofPlatform()
        .start(
            () -> {
              try {
                Netns.enter("tkv-plat-does-not-exist");
              } catch (Throwable t) {
                failure.set(t);
              }
            })
        .join();
    assertThat(failure.get()).isInstanceOf(NativeException.class);
    NativeException e = (NativeException) failure.get();
    assertThat(e.errno()).isEqualTo(Libc.ENOENT);
    assertThat(e.getMessage())
        .contains("open(/run/netns/tkv-plat-does-not-exist)")
        .contains("No such file or directory");
  }
}
