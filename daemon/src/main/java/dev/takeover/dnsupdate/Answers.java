package dev.takeover.dnsupdate;

import java.util.Optional;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIGRecord;

/**
 * Reads a server's answer: pure. What matters is whether the update was applied (NOERROR, and the
 * answer's TSIG verified when we signed), whether a prerequisite failed (a conflict), or why not.
 */
public final class Answers {
  private Answers() {}

  /** What an answer means. */
  public enum Kind {
    APPLIED,
    PREREQUISITE_FAILED,
    ERROR
  }

  /**
   * @param error for {@link Kind#ERROR}: the text for log, journal and status
   */
  public record Verdict(Kind kind, String error) {}

  public static Verdict of(Message answer, boolean signed) {
    int rcode = answer.getRcode();
    TSIGRecord tsig = answer.getTSIG();
    if (tsig != null && tsig.getError() != Rcode.NOERROR) {
      // RFC 8945 §5.2: the server could not verify our request (BADKEY: it does not know the key
      // or algorithm; BADSIG: the secret differs; BADTIME: the clocks are more than fudge apart).
      return new Verdict(
          Kind.ERROR,
          Rcode.string(rcode)
              + " (TSIG "
              + Rcode.TSIGstring(tsig.getError())
              + hint(tsig.getError())
              + ")");
    }
    if (signed && rcode == Rcode.NOERROR && !answer.isVerified()) {
      return new Verdict(
          Kind.ERROR, "the answer's TSIG signature did not verify (wrong key, or not signed)");
    }
    if (rcode == Rcode.NOERROR) {
      return new Verdict(Kind.APPLIED, "");
    }
    if (rcode == Rcode.YXRRSET || rcode == Rcode.NXRRSET) {
      return new Verdict(Kind.PREREQUISITE_FAILED, Rcode.string(rcode));
    }
    return new Verdict(
        Kind.ERROR, Rcode.string(rcode) + meaning(rcode).map(m -> " (" + m + ")").orElse(""));
  }

  private static String hint(int tsigError) {
    return switch (tsigError) {
      case Rcode.BADKEY -> ": the server does not know this key name or algorithm";
      case Rcode.BADSIG -> ": the secret does not match the server's";
      case Rcode.BADTIME -> ": this host's clock and the server's differ";
      default -> "";
    };
  }

  private static Optional<String> meaning(int rcode) {
    return switch (rcode) {
      case Rcode.REFUSED ->
          Optional.of("the server does not allow this update: check update-policy");
      case Rcode.NOTAUTH -> Optional.of("the server is not authoritative for the zone");
      case Rcode.NOTZONE -> Optional.of("the name is not in the zone");
      case Rcode.SERVFAIL -> Optional.of("the server failed");
      default -> Optional.empty();
    };
  }
}
