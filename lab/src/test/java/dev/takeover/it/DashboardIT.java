package dev.takeover.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.takeover.lab.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's chromium, headless, driven by chromium-driver through
 * Selenium. The page (served by n2) shows n1 as master; after a kill -9 of n1 it shows n2 master
 * within 1 s of n2's transition, without a reload; a move clicked on the page (to n1, restarted at
 * a lower priority) is forwarded to n1 and works. Screenshots go to docs/.
 */
class DashboardIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);
  private final List<NsForward> forwards = new ArrayList<>();
  private ChromeDriver browser;

  @AfterEach
  void close() {
    if (browser != null) {
      browser.quit();
    }
    forwards.forEach(NsForward::close);
  }

  private static NodeConfig config(String node, int priority, Path token) {
    return Cluster.config(node, priority)
        .withGroupYaml(
            "nodes: {n1: 198.18.0.1, n2: 198.18.0.2}\n" + Api.section(node, 2, token, ""));
  }

  /** The state shown for {@code node}'s web cell, read in one script (the table re-renders). */
  private String cell(String node) {
    Object state =
        browser.executeScript(
            "const c = document.querySelector(\"tr[data-group='web'] td[data-node='\" + arguments[0]"
                + " + \"']\"); return c ? c.dataset.state || '' : '';",
            node);
    return String.valueOf(state);
  }

  private void awaitCell(String node, String state, Duration timeout) {
    new WebDriverWait(browser, timeout, Duration.ofMillis(20))
        .ignoring(StaleElementReferenceException.class)
        .withMessage(
            () ->
                "the page to show "
                    + node
                    + " "
                    + state
                    + "; page: "
                    + browser.findElement(By.tagName("main")).getText())
        .until(b -> state.equals(cell(node)));
  }

  @Test
  void thePageShowsTheMasterFollowsAFailoverLiveAndMovesAGroup() throws Exception {
    Path token = Api.tokenFile(cluster.logDir().resolve("conf"));
    cluster.start(config("n1", 150, token));
    cluster.awaitMaster("n1", Cluster.STARTUP);
    cluster.start(config("n2", 100, token));
    NsForward n2 = NsForward.to(cluster.lab().nsName("n2"), "127.0.0.1", Api.PORT);
    forwards.add(n2);
    Poll.until(
        Cluster.STARTUP.multipliedBy(3),
        () -> Api.get(n2.base(), "/readyz").status() == 200,
        () -> "n2 API");

    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
            .withLogFile(cluster.logDir().resolve("chromedriver.log").toFile())
            .build();
    browser = new ChromeDriver(service, options);
    browser.manage().window().setSize(new Dimension(1000, 700));
    browser.get(n2.base() + "/");
    awaitCell("n1", "MASTER", Duration.ofSeconds(10));
    awaitCell("n2", "BACKUP", Duration.ofSeconds(10));
    new WebDriverWait(browser, Duration.ofSeconds(5))
        .until(b -> b.findElement(By.id("live")).getAttribute("class").contains("on"));

    // kill -9 n1: the page shows n2 master within 1 s of n2's transition, without a reload.
    cluster.daemon("n1").crash();
    awaitCell("n2", "MASTER", Duration.ofSeconds(10));
    Instant shown = Instant.now();
    JsonNode events = Api.get(n2.base(), "/v1/events?limit=50").json().get("events");
    Instant transition = null;
    for (JsonNode e : events) {
      if (e.get("type").asText().equals("state.changed")
          && e.get("fields").get("to").asText().equals("MASTER")) {
        transition = Instant.parse(e.get("time").asText());
      }
    }
    assertThat(transition).as("n2's transition in its journal").isNotNull();
    Duration lag = Duration.between(transition, shown);
    System.out.println(
        "DashboardIT: the page showed n2 MASTER " + lag.toMillis() + " ms after its transition");
    assertThat(lag).isLessThan(Duration.ofSeconds(1));
    awaitCell("n1", "UNHEARD", Duration.ofSeconds(5));
    screenshot("dashboard-failover.png");

    // n1 back at a lower priority (no preempt), then a move to n1 clicked on the page.
    cluster.start(config("n1", 50, token));
    awaitCell("n1", "BACKUP", Cluster.STARTUP);
    browser.findElement(By.id("token")).sendKeys(Api.TOKEN);
    // The table is re-rendered on every event and every 2 s: find and click in one go.
    new WebDriverWait(browser, Duration.ofSeconds(5))
        .ignoring(StaleElementReferenceException.class)
        .until(
            b -> {
              b.findElement(By.cssSelector("button.move[data-group='web'][data-node='n1']"))
                  .click();
              return true;
            });
    cluster.awaitMaster("n1", Duration.ofSeconds(10));
    awaitCell("n1", "MASTER", Duration.ofSeconds(5));
    awaitCell("n2", "BACKUP", Duration.ofSeconds(5));
    assertThat(browser.findElement(By.id("message")).getText()).doesNotContain("error");
    screenshot("dashboard.png");
  }

  /** Into the IT's logs, and into docs/ (the README shows it). */
  private void screenshot(String name) throws Exception {
    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, cluster.logDir().resolve(name), StandardCopyOption.REPLACE_EXISTING);
    Path docs = Path.of("docs"); // failsafe runs in the repository root
    if (Files.isDirectory(docs)) {
      Files.copy(shot, docs.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
