package dev.takeover.links;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {
  @Test
  void newerSequencesPassAndRepeatsDoNot() {
    ReplayWindow w = new ReplayWindow();
    assertThat(w.accept(100)).isTrue();
    assertThat(w.accept(100)).isFalse();
    assertThat(w.accept(101)).isTrue();
    assertThat(w.accept(101)).isFalse();
  }

  @Test
  void outOfOrderWithinTheWindowPassesOnce() {
    ReplayWindow w = new ReplayWindow();
    w.accept(100);
    assertThat(w.accept(110)).isTrue();
    assertThat(w.accept(105)).isTrue();
    assertThat(w.accept(105)).isFalse();
    assertThat(w.accept(100)).isFalse();
    assertThat(w.accept(110 - ReplayWindow.SIZE + 1)).isTrue();
    assertThat(w.accept(110 - ReplayWindow.SIZE)).isFalse();
  }

  @Test
  void aBigJumpClearsTheWindow() {
    ReplayWindow w = new ReplayWindow();
    w.accept(1);
    assertThat(w.accept(1_000)).isTrue();
    assertThat(w.accept(999)).isTrue();
    assertThat(w.accept(1)).isFalse();
  }

  @Test
  void sequencesCompareUnsignedAcrossTheSignBit() {
    ReplayWindow w = new ReplayWindow();
    w.accept(Long.MAX_VALUE);
    assertThat(w.accept(Long.MIN_VALUE)).isTrue();
    assertThat(w.accept(Long.MAX_VALUE)).isFalse();
  }
}
