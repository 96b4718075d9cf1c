package dev.takeover.dnsupdate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.dns.Desired;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The RFC 2136 messages, section by section, and how answers are read. */
class UpdateBuilderTest {
  private static final Name WWW = Name.fromConstantString("www.dns.test.");
  private static final Name ZONE = Name.fromConstantString("dns.test.");
  private static final RecordKey A = new RecordKey(WWW, Type.A, ZONE, 60, true);

  private static List<String> section(Message m, int section) {
    return m.getSection(section).stream().map(Record::toString).toList();
  }

  @Test
  void aClaimOverWhatWeLastSawReplacesTheRrsetIfItStillHoldsThat() {
    Message m =
        UpdateBuilder.update(
            A, new Desired.Replace(Set.of("198.18.0.2")), Optional.of(Set.of("198.18.0.1")));
    assertThat(m.getHeader().getOpcode()).isEqualTo(Opcode.UPDATE);
    assertThat(m.getSection(Section.ZONE).getFirst().getName()).isEqualTo(ZONE);
    assertThat(m.getSection(Section.ZONE).getFirst().getType()).isEqualTo(Type.SOA);
    // RFC 2136 §2.4.2: RRset exists (value dependent): class IN, TTL 0, the exact records.
    Record pre = m.getSection(Section.PREREQ).getFirst();
    assertThat(m.getSection(Section.PREREQ)).hasSize(1);
    assertThat(pre.getDClass()).isEqualTo(DClass.IN);
    assertThat(pre.getTTL()).isZero();
    assertThat(pre.rdataToString()).isEqualTo("198.18.0.1");
    // §2.5.2 delete the RRset (class ANY), then §2.5.1 add.
    List<Record> update = m.getSection(Section.UPDATE);
    assertThat(update).hasSize(2);
    assertThat(update.get(0).getDClass()).isEqualTo(DClass.ANY);
    assertThat(update.get(0).getType()).isEqualTo(Type.A);
    assertThat(update.get(1).getDClass()).isEqualTo(DClass.IN);
    assertThat(update.get(1).getTTL()).isEqualTo(60);
    assertThat(update.get(1).rdataToString()).isEqualTo("198.18.0.2");
  }

  @Test
  void aClaimOnAnRrsetNeverSeenRequiresItAbsent() {
    for (Optional<Set<String>> seen :
        List.of(Optional.<Set<String>>empty(), Optional.of(Set.<String>of()))) {
      Message m = UpdateBuilder.update(A, new Desired.Replace(Set.of("198.18.0.2")), seen);
      Record pre = m.getSection(Section.PREREQ).getFirst();
      // RFC 2136 §2.4.3: RRset does not exist: class NONE, type A, no rdata.
      assertThat(pre.getDClass()).isEqualTo(DClass.NONE);
      assertThat(pre.getType()).isEqualTo(Type.A);
      assertThat(pre.rdataToString()).isEmpty();
    }
  }

  @Test
  void aReleaseRemovesOnlyOurValues() {
    Message m =
        UpdateBuilder.update(
            A,
            new Desired.Remove(Set.of("198.18.0.1")),
            Optional.of(Set.of("198.18.0.1", "198.18.0.7")));
    assertThat(m.getSection(Section.PREREQ)).hasSize(2);
    List<Record> update = m.getSection(Section.UPDATE);
    assertThat(update).hasSize(1);
    // §2.5.4: delete an RR from an RRset: class NONE, TTL 0.
    assertThat(update.getFirst().getDClass()).isEqualTo(DClass.NONE);
    assertThat(update.getFirst().rdataToString()).isEqualTo("198.18.0.1");
  }

  @Test
  void aPtrIsReplacedWithoutPrerequisite() {
    RecordKey ptr =
        new RecordKey(
            Name.fromConstantString("2.0.18.198.in-addr.arpa."),
            Type.PTR,
            Name.fromConstantString("0.18.198.in-addr.arpa."),
            60,
            false);
    Message m =
        UpdateBuilder.update(
            ptr, new Desired.Replace(Set.of("www.dns.test.")), Optional.of(Set.of("old.")));
    assertThat(m.getSection(Section.PREREQ)).isEmpty();
    assertThat(section(m, Section.UPDATE).get(1)).contains("PTR", "www.dns.test.");
  }

  @Test
  void answersAreReadAsAppliedConflictOrAnError() {
    Message ok = new Message();
    assertThat(Answers.of(ok, false).kind()).isEqualTo(Answers.Kind.APPLIED);
    assertThat(Answers.of(ok, true).kind())
        .as("an unsigned NOERROR to a signed update is not trusted")
        .isEqualTo(Answers.Kind.ERROR);
    Message yx = new Message();
    yx.getHeader().setRcode(Rcode.YXRRSET);
    assertThat(Answers.of(yx, false).kind()).isEqualTo(Answers.Kind.PREREQUISITE_FAILED);
    Message refused = new Message();
    refused.getHeader().setRcode(Rcode.REFUSED);
    assertThat(Answers.of(refused, false).error()).startsWith("REFUSED").contains("update-policy");
  }

  @Test
  void valuesAreReadFromTheAnswerSection() {
    Message answer = new Message();
    answer.addRecord(
        new org.xbill.DNS.ARecord(WWW, DClass.IN, 60, java.net.InetAddress.ofLiteral("198.18.0.2")),
        Section.ANSWER);
    answer.addRecord(
        new org.xbill.DNS.ARecord(
            Name.fromConstantString("other.dns.test."),
            DClass.IN,
            60,
            java.net.InetAddress.ofLiteral("198.18.0.3")),
        Section.ANSWER);
    assertThat(UpdateBuilder.values(A, answer)).containsExactly("198.18.0.2");
  }

  /** AAAA as A, in the compressed text the queue compares (a server may answer any form). */
  @Test
  void anAaaaClaimAndItsReadBackUseOneTextPerAddress() {
    RecordKey aaaa = new RecordKey(WWW, Type.AAAA, ZONE, 60, true);
    Message m =
        UpdateBuilder.update(
            aaaa, new Desired.Replace(Set.of("2001:db8::2")), Optional.of(Set.of("2001:db8::1")));
    Record pre = m.getSection(Section.PREREQ).getFirst();
    assertThat(pre.getType()).isEqualTo(Type.AAAA);
    assertThat(((AAAARecord) pre).getAddress()).isEqualTo(InetAddress.ofLiteral("2001:db8::1"));
    List<Record> update = m.getSection(Section.UPDATE);
    assertThat(update).hasSize(2);
    assertThat(update.get(0).getDClass()).isEqualTo(DClass.ANY);
    assertThat(update.get(0).getType()).isEqualTo(Type.AAAA);
    assertThat(((AAAARecord) update.get(1)).getAddress())
        .isEqualTo(InetAddress.ofLiteral("2001:db8::2"));

    Message answer = new Message();
    answer.addRecord(
        new AAAARecord(WWW, DClass.IN, 60, InetAddress.ofLiteral("2001:0db8:0:0:0:0:0:2")),
        Section.ANSWER);
    assertThat(UpdateBuilder.values(aaaa, answer)).containsExactly("2001:db8::2");
  }
}
