package dev.takeover.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcFsTest {
  private static final String STATUS =
      """
      Name:\tjava
      Umask:\t0022
      State:\tS (sleeping)
      VmPeak:\t 2841536 kB
      VmRSS:\t   77032 kB
      RssAnon:\t   51234 kB
      """;

  private static final String SMAPS_ROLLUP =
      """
      55d0c0a00000-7ffd4b5f6000 ---p 00000000 00:00 0                          [rollup]
      Rss:               77032 kB
      Pss:               61640 kB
      Pss_Anon:          51200 kB
      Pss_File:          10440 kB
      """;

  @Test
  void memoryFields() {
    assertThat(ProcFs.vmRssKiB(STATUS)).hasValue(77032);
    // Pss_Anon and friends must not be mistaken for Pss.
    assertThat(ProcFs.pssKiB(SMAPS_ROLLUP)).hasValue(61640);
    assertThat(ProcFs.vmRssKiB("Name:\tkthreadd\n")).isEmpty();
  }

  @Test
  void cpuTicksCountFieldsAfterTheCommandName() {
    // Field 2 with spaces and a ')' inside: only the last ')' ends it. utime=1234, stime=56.
    String stat =
        "4242 (evil) name) S 1 4242 4242 0 -1 4194560 2000 0 0 0 1234 56 0 0 20 0 17 0 12345"
            + " 2909782016 19258 18446744073709551615 1 1 0 0 0 0 0 4096 17167 0 0 0 17 1 0 0 0 0\n";
    assertThat(ProcFs.cpuTicks(stat)).isEqualTo(1290);
  }

  @Test
  void ownProcessIsReadable() {
    ProcFs.Sample self = ProcFs.read(ProcessHandle.current().pid()).orElseThrow();
    assertThat(self.rssKiB()).isPositive();
    assertThat(self.pssKiB()).isPositive();
    assertThat(ProcFs.read(Long.MAX_VALUE)).isEmpty();
  }
}
