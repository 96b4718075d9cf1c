package dev.takeover.api;

import dev.takeover.config.ApiConfig.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The API's server TLS context from PEM (certificate chain + PKCS#8 key) or PKCS#12. */
final class TlsContexts {
  private TlsContexts() {}

  static SSLContext server(Tls tls) throws IOException {
    try {
      char[] password;
      KeyStore store;
      if (tls.pkcs12().isPresent()) {
        password =
            tls.passwordFile().isPresent()
                ? Files.readString(tls.passwordFile().get(), StandardCharsets.UTF_8)
                    .strip()
                    .toCharArray()
                : new char[0];
        store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tls.pkcs12().get())) {
          store.load(in, password);
        }
      } else {
        password = new char[0];
        store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        List<? extends Certificate> chain;
        try (InputStream in = Files.newInputStream(tls.certificate().orElseThrow())) {
          chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        if (chain.isEmpty()) {
          throw new IOException(tls.certificate().get() + ": no certificate in it");
        }
        store.setKeyEntry(
            "api", key(tls.key().orElseThrow()), password, chain.toArray(new Certificate[0]));
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("API TLS: " + e.getMessage(), e);
    }
  }

  /** A PEM "PRIVATE KEY" (PKCS#8), RSA or EC. */
  private static PrivateKey key(Path file) throws IOException, GeneralSecurityException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new IOException(
          file
              + ": no PKCS#8 \"BEGIN PRIVATE KEY\" block (convert with openssl pkcs8 -topk8 -nocrypt)");
    }
    byte[] der =
        Base64.getMimeDecoder()
            .decode(pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (java.security.spec.InvalidKeySpecException e) {
        // try the next
      }
    }
    throw new IOException(file + ": not an RSA, EC or Ed25519 key");
  }
}
