package dev.takeover.dnsupdate;

import dev.takeover.config.DnsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/**
 * Reads a TSIG secret file: either what {@code tsig-keygen} writes (a BIND {@code key} clause,
 * whose {@code secret "..."} is used) or the base64 secret alone.
 */
public final class TsigSecrets {
  private static final Pattern SECRET = Pattern.compile("secret\\s+\"([A-Za-z0-9+/=]+)\"");

  private TsigSecrets() {}

  public static TSIG load(DnsConfig.TsigKey key) throws IOException {
    String text = Files.readString(key.secretFile()).strip();
    Matcher m = SECRET.matcher(text);
    String secret = m.find() ? m.group(1) : text;
    try {
      Base64.getDecoder().decode(secret);
    } catch (IllegalArgumentException e) {
      throw new IOException(
          key.secretFile() + ": no base64 secret (a tsig-keygen key clause, or the secret alone)");
    }
    Name algorithm = key.algorithm().equals("hmac-sha512") ? TSIG.HMAC_SHA512 : TSIG.HMAC_SHA256;
    try {
      return new TSIG(algorithm, Name.fromString(key.name()), secret);
    } catch (TextParseException e) {
      throw new IOException("key name " + key.name() + ": " + e.getMessage(), e);
    }
  }
}
