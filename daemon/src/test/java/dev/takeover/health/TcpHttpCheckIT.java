package dev.takeover.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.takeover.clock.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TCP and HTTP(S) checks against the JDK's HTTP server running inside a test namespace. */
class TcpHttpCheckIT {
  private static final Duration TIMEOUT = Duration.ofMillis(400);
  private static final int HTTP_PORT = 8080;
  private static final int HTTPS_PORT = 8443;
  private static final int CLOSED_PORT = 8081;

  private static HealthLab lab;
  private static HttpServer http;
  private static HttpsServer https;
  private static final CountDownLatch RELEASE_HANGERS = new CountDownLatch(1);

  @TempDir static Path dir;

  @BeforeAll
  static void startServers() throws Exception {
    assumeTrue(HealthLab.isRoot(), "needs root for network namespaces");
    lab = new HealthLab();
    InetSocketAddress httpAddress = new InetSocketAddress(lab.serverAddress, HTTP_PORT);
    http = lab.inside(() -> HttpServer.create(httpAddress, 16));
    http.createContext("/ok", exchange -> respond(exchange, 200, "status: all good"));
    http.createContext("/broken", exchange -> respond(exchange, 503, "down for maintenance"));
    http.createContext(
        "/moved",
        exchange -> {
          exchange.getResponseHeaders().add("Location", "/ok");
          respond(exchange, 302, "");
        });
    http.createContext(
        "/hang",
        exchange -> {
          try {
            RELEASE_HANGERS.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          respond(exchange, 200, "too late");
        });
    http.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    http.start();

    SSLContext tls = selfSignedContext(dir);
    InetSocketAddress httpsAddress = new InetSocketAddress(lab.serverAddress, HTTPS_PORT);
    https = lab.inside(() -> HttpsServer.create(httpsAddress, 16));
    https.setHttpsConfigurator(new HttpsConfigurator(tls));
    https.createContext("/ok", exchange -> respond(exchange, 200, "secure and fine"));
    https.start();
  }

  @AfterAll
  static void stopServers() {
    RELEASE_HANGERS.countDown();
    if (http != null) {
      http.stop(0);
    }
    if (https != null) {
      https.stop(0);
    }
    if (lab != null) {
      lab.close();
    }
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
      throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      in.readAllBytes();
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** A PKCS#12 key store with a fresh self-signed EC certificate, made by the JDK's keytool. */
  private static SSLContext selfSignedContext(Path dir) throws Exception {
    Path store = dir.resolve("server.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    HealthLab.run(
        keytool,
        "-genkeypair",
        "-keyalg",
        "EC",
        "-alias",
        "server",
        "-dname",
        "CN=health.test",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        store.toString(),
        "-storepass",
        "changeit",
        "-keypass",
        "changeit");
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, "changeit".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  private static URI url(String scheme, int port, String path) {
    return URI.create(scheme + "://" + lab.serverAddress.getHostAddress() + ":" + port + path);
  }

  private static HttpCheck http(String path, String status, Optional<Pattern> body) {
    return new HttpCheck(
        url("http", HTTP_PORT, path), StatusRange.parse(status), body, TIMEOUT, false);
  }

  @Test
  void tcpConnectsToAListeningPort() {
    ProbeResult result =
        new TcpCheck(lab.serverAddress.getHostAddress(), HTTP_PORT, TIMEOUT).probe(Clock.system());
    assertThat(result.ok()).as(result.detail()).isTrue();
  }

  @Test
  void tcpFailsFastOnARefusedPort() {
    ProbeResult result =
        new TcpCheck(lab.serverAddress.getHostAddress(), CLOSED_PORT, TIMEOUT)
            .probe(Clock.system());
    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).containsIgnoringCase("refused");
    assertThat(result.took()).isLessThan(TIMEOUT);
  }

  @Test
  void tcpTimesOutOnAHostThatNeverAnswers() {
    ProbeResult result =
        new TcpCheck(lab.deadAddress.getHostAddress(), HTTP_PORT, TIMEOUT).probe(Clock.system());
    assertThat(result.ok()).isFalse();
    assertThat(result.took()).isBetween(TIMEOUT.minusMillis(50), TIMEOUT.plusMillis(300));
  }

  @Test
  void httpPassesOnTheExpectedStatusAndBody() {
    ProbeResult result =
        http("/ok", "200", Optional.of(Pattern.compile("all\\s+good"))).probe(Clock.system());
    assertThat(result.ok()).as(result.detail()).isTrue();
    assertThat(result.detail()).isEqualTo("HTTP 200");
  }

  @Test
  void httpFailsOnAnUnexpectedStatus() {
    ProbeResult result = http("/broken", "200-399", Optional.empty()).probe(Clock.system());
    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).isEqualTo("HTTP 503, expected 200-399");
  }

  @Test
  void httpJudgesARedirectByItsStatusWithoutFollowingIt() {
    assertThat(http("/moved", "200-399", Optional.empty()).probe(Clock.system()).ok()).isTrue();
    assertThat(http("/moved", "200", Optional.empty()).probe(Clock.system()).detail())
        .startsWith("HTTP 302");
  }

  @Test
  void httpFailsWhenTheBodyDoesNotMatch() {
    ProbeResult result =
        http("/ok", "200", Optional.of(Pattern.compile("degraded"))).probe(Clock.system());
    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).contains("body does not match /degraded/");
  }

  @Test
  void httpTimesOutOnAServerThatHangs() {
    ProbeResult result = http("/hang", "200", Optional.empty()).probe(Clock.system());
    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).contains("no response within 400 ms");
    assertThat(result.took()).isBetween(TIMEOUT.minusMillis(50), TIMEOUT.plusMillis(300));
  }

  @Test
  void httpFailsOnARefusedPort() {
    HttpCheck check =
        new HttpCheck(
            url("http", CLOSED_PORT, "/"),
            StatusRange.SUCCESS_OR_REDIRECT,
            Optional.empty(),
            TIMEOUT,
            false);
    ProbeResult result = check.probe(Clock.system());
    assertThat(result.ok()).isFalse();
    assertThat(result.took()).isLessThan(TIMEOUT);
  }

  @Test
  void httpsWithASelfSignedCertificatePassesOnlyWhenInsecureTlsIsAllowed() {
    URI url = url("https", HTTPS_PORT, "/ok");
    Optional<Pattern> body = Optional.of(Pattern.compile("secure"));
    ProbeResult insecure =
        new HttpCheck(url, StatusRange.parse("200"), body, Duration.ofSeconds(2), true)
            .probe(Clock.system());
    ProbeResult strict =
        new HttpCheck(url, StatusRange.parse("200"), body, Duration.ofSeconds(2), false)
            .probe(Clock.system());
    assertThat(insecure.ok()).as(insecure.detail()).isTrue();
    assertThat(strict.ok()).isFalse();
    assertThat(strict.detail()).containsIgnoringCase("SSL");
  }
}
