package dev.takeover.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.config.ApiConfig;
import dev.takeover.config.TakeoverConfig;
import dev.takeover.control.ControlHandler;
import dev.takeover.metrics.Metrics;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS listen with a PKCS#12 store and with PEM files; keytool (the JDK's) makes the key. */
class TlsTest {
  @TempDir Path dir;

  private Path keystore() throws Exception {
    Path p12 = dir.resolve("api.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "api",
                "-keyalg",
                "EC",
                "-dname",
                "CN=localhost",
                "-ext",
                "san=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                p12.toString(),
                "-storepass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue())
        .as(new String(keytool.getInputStream().readAllBytes()))
        .isZero();
    Files.writeString(dir.resolve("pass"), "changeit\n");
    return p12;
  }

  private static String get(KeyStore trust, int port) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    HttpClient client = HttpClient.newBuilder().sslContext(ctx).build();
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }

  private static ApiServer start(ApiConfig.Tls tls) throws Exception {
    ApiConfig config =
        new ApiConfig(
            List.of(),
            List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
            Optional.of(tls),
            Optional.empty(),
            Map.of(),
            List.of());
    ApiBackend backend =
        new ApiBackend() {
          @Override
          public ControlHandler control() {
            throw new UnsupportedOperationException();
          }

          @Override
          public TakeoverConfig config() {
            return ApiServerTest.config();
          }

          @Override
          public Path stateDir() {
            return Path.of("/nonexistent");
          }

          @Override
          public boolean maintenance() {
            return false;
          }
        };
    return ApiServer.start(config, backend, Access.none(), new Metrics(() -> null), List::of);
  }

  @Test
  void servesHttpsFromPkcs12AndFromPem() throws Exception {
    Path p12 = keystore();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      store.load(in, "changeit".toCharArray());
    }
    try (ApiServer s =
        start(
            new ApiConfig.Tls(
                Optional.empty(),
                Optional.empty(),
                Optional.of(p12),
                Optional.of(dir.resolve("pass"))))) {
      assertThat(get(store, s.addresses().getFirst().getPort())).isEqualTo("200 {\"ok\":true}");
    }

    // The same key and certificate as PEM files.
    Certificate cert = store.getCertificate("api");
    byte[] key = store.getKey("api", "changeit".toCharArray()).getEncoded();
    Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes());
    Path certPem = dir.resolve("api.crt");
    Path keyPem = dir.resolve("api.key");
    Files.writeString(
        certPem,
        "-----BEGIN CERTIFICATE-----\n"
            + b64.encodeToString(cert.getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    Files.writeString(
        keyPem,
        "-----BEGIN PRIVATE KEY-----\n"
            + b64.encodeToString(key)
            + "\n-----END PRIVATE KEY-----\n");
    try (ApiServer s =
        start(
            new ApiConfig.Tls(
                Optional.of(certPem), Optional.of(keyPem), Optional.empty(), Optional.empty()))) {
      assertThat(get(store, s.addresses().getFirst().getPort())).isEqualTo("200 {\"ok\":true}");
    }
  }
}
