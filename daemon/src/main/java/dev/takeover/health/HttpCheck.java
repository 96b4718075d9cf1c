package dev.takeover.health;

import dev.takeover.clock.Clock;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Healthy when an HTTP(S) GET of {@code url} answers within the timeout with a status in {@code
 * expectedStatus} and, if {@code bodyMatch} is given, a body in which the pattern is found ({@link
 * java.util.regex.Matcher#find}). Only the first {@value #BODY_LIMIT} bytes of the body are read
 * and decoded as UTF-8. Redirects are not followed: a 3xx is judged by its status.
 *
 * <p>Every probe uses a fresh client and connection, so a keep-alive connection to a server that
 * stopped accepting new ones does not hide the failure. The timeout bounds the whole exchange:
 * connect, TLS, headers and body.
 *
 * @param insecureTls accept any server certificate and host name (for self-signed certificates on
 *     the server being probed); the connection is still encrypted
 */
public record HttpCheck(
    URI url,
    StatusRange expectedStatus,
    Optional<Pattern> bodyMatch,
    Duration timeout,
    boolean insecureTls)
    implements HealthCheck {

  /** Bytes of the body kept for {@link #bodyMatch}; the rest is not read. */
  public static final int BODY_LIMIT = 64 * 1024;

  private static final String USER_AGENT = "takeover-health-check";

  public HttpCheck {
    Objects.requireNonNull(url, "url");
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("url must be http or https: " + url);
    }
    if (url.getHost() == null) {
      throw new IllegalArgumentException("url has no host: " + url);
    }
    Objects.requireNonNull(expectedStatus, "expectedStatus");
    Objects.requireNonNull(bodyMatch, "bodyMatch");
    HealthCheck.requirePositive(timeout);
  }

  @Override
  public ProbeResult probe(Clock clock) {
    Stopwatch start = Stopwatch.start(clock);
    HttpClient client;
    try {
      client = newClient();
    } catch (GeneralSecurityException | RuntimeException e) {
      return ProbeResult.fail("cannot set up HTTP client", e, start);
    }
    try {
      HttpRequest request =
          HttpRequest.newBuilder(url)
              .GET()
              .timeout(timeout)
              .header("User-Agent", USER_AGENT)
              .build();
      CompletableFuture<HttpResponse<byte[]>> exchange =
          client.sendAsync(request, info -> new LimitedBody(BODY_LIMIT));
      HttpResponse<byte[]> response;
      try {
        // The future bounds the whole exchange; the request timeout alone stops at the headers.
        response = exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        exchange.cancel(true);
        return ProbeResult.fail("no response within " + timeout.toMillis() + " ms", start);
      }
      return judge(response, start);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof java.net.http.HttpTimeoutException) {
        return ProbeResult.fail("no response within " + timeout.toMillis() + " ms", start);
      }
      return ProbeResult.fail("GET " + url + " failed", cause, start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ProbeResult.fail("interrupted", start);
    } catch (RuntimeException e) {
      return ProbeResult.fail("GET " + url + " failed", e, start);
    } finally {
      client.shutdownNow();
    }
  }

  private ProbeResult judge(HttpResponse<byte[]> response, Stopwatch start) {
    int status = response.statusCode();
    if (!expectedStatus.contains(status)) {
      return ProbeResult.fail("HTTP " + status + ", expected " + expectedStatus, start);
    }
    if (bodyMatch.isPresent()) {
      String body = new String(response.body(), StandardCharsets.UTF_8);
      if (!bodyMatch.get().matcher(body).find()) {
        return ProbeResult.fail(
            "HTTP " + status + ", body does not match /" + bodyMatch.get().pattern() + "/", start);
      }
    }
    return ProbeResult.pass("HTTP " + status, start);
  }

  private HttpClient newClient() throws GeneralSecurityException {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY);
    if (insecureTls) {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustEverything()}, null);
      builder.sslContext(context);
    }
    return builder.build();
  }

  @Override
  public String target() {
    return "http GET " + url;
  }

  /**
   * Trusts any certificate chain and host name. It must be an {@link X509ExtendedTrustManager}: the
   * JDK wraps a plain X509TrustManager in one that still checks the host name.
   */
  private static final class TrustEverything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /** Collects at most {@code limit} body bytes, then cancels the rest of the body. */
  private static final class LimitedBody implements BodySubscriber<byte[]> {
    private final int limit;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    private Flow.Subscription subscription;

    LimitedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer buffer : buffers) {
        int take = Math.min(buffer.remaining(), limit - bytes.size());
        byte[] chunk = new byte[take];
        buffer.get(chunk);
        bytes.write(chunk, 0, take);
      }
      if (bytes.size() >= limit && !result.isDone()) {
        result.complete(bytes.toByteArray());
        subscription.cancel();
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toByteArray());
    }
  }
}
