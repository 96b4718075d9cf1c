package dev.takeover.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputTailTest {

  private static void write(OutputTail tail, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    tail.append(bytes, bytes.length);
  }

  @Test
  void keepsTheLastBytesAndCountsTheDroppedOnes() {
    OutputTail tail = new OutputTail(8);
    write(tail, "hello");
    assertThat(tail.text()).isEqualTo("hello");
    assertThat(tail.dropped()).isZero();
    write(tail, " world!");
    assertThat(tail.text()).isEqualTo("o world!");
    assertThat(tail.dropped()).isEqualTo(4);
  }

  @Test
  void aCharacterCutAtTheStartBecomesAReplacementCharacter() {
    OutputTail tail = new OutputTail(4);
    write(tail, "xé123"); // é is two bytes; the limit keeps only its second
    assertThat(tail.text()).isEqualTo("\uFFFD123");
  }

  @Test
  void readsAStreamToItsEndInBoundedMemory() {
    OutputTail tail = new OutputTail(16);
    tail.readFrom(new ByteArrayInputStream("a".repeat(100_000).concat("the end").getBytes()));
    assertThat(tail.text()).isEqualTo("aaaaaaaaathe end");
    assertThat(tail.dropped()).isEqualTo(100_007 - 16);
  }
}
