package org.openest.est.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openest.est.http.AdminPageFilter;
import org.openest.est.testing.EstHttp;
import org.openest.est.testing.EstTestServer;
import org.openest.est.testing.LogHygiene;
import org.openest.est.testing.TestPki;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin dashboard ({@code /admin/}) in headless Chromium against the real webapp over TLS: log in with HTTP Basic,
 * see a hostile subject as text, approve and reject held enrollments, revoke a certificate (then find it in the CRL),
 * delete a device, and the 52-week expiry chart. Needs Debian's {@code chromium} and {@code chromium-driver}
 * ({@code .ci/run} installs them); without them this test fails, it never skips.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {
    static final String PKCS10 = "application/pkcs10";
    static final String USER = EstHttp.basic(EstTestServer.USER, EstTestServer.PASSWORD);
    static final String ADMIN = EstHttp.basic(EstTestServer.ADMIN, EstTestServer.ADMIN_PASSWORD);
    static final String XSS_CN = "<script>alert(1)</script>";
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path home;
    @TempDir
    static Path browserProfile;
    static EstTestServer server;
    static TestPki pki;
    static EstHttp http;
    static ChromeDriver driver;
    static org.openqa.selenium.support.ui.Wait<org.openqa.selenium.WebDriver> wait;

    static X509Certificate xss;
    static X509Certificate lost;
    static byte[] approveCsr;
    static byte[] rejectCsr;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create("Dashboard CA");
        server = EstTestServer.start(home, pki, Map.of(
                "profiles", "manual, short",
                "profile.manual.label", "manual",
                "profile.manual.enroll.approval", "manual",
                "profile.short.label", "short",
                "profile.short.issuance.validity-days", "20",
                "issuance.validity-days", "200",
                "expiry.window-days", "45"));
        http = new EstHttp(pki, null);

        for (int i = 1; i <= 4; i++) {
            enroll("simpleenroll", String.format("O=Hospital,CN=pump-%04d", i));
        }
        lost = enroll("simpleenroll", "O=Hospital,CN=pump-lost");
        enroll("simpleenroll", "O=Hospital,CN=pump-retire");
        enroll("short/simpleenroll", "O=Hospital,CN=ward3-monitor");
        enroll("short/simpleenroll", "O=Hospital,CN=ward3-ventilator");
        xss = enroll("simpleenroll", "CN=\\<script\\>alert(1)\\</script\\>");
        assertThat(((ASN1String) new JcaX509CertificateHolder(xss).getSubject().getRDNs(BCStyle.CN)[0].getFirst()
                .getValue()).getString()).isEqualTo(XSS_CN);

        approveCsr = b64csr("O=Hospital,CN=pump-approve");
        rejectCsr = b64csr("O=Hospital,CN=pump-reject");
        for (byte[] csr : List.of(approveCsr, rejectCsr, b64csr("O=Hospital,CN=pump-waiting"))) {
            assertThat(http.post(server.est("manual/simpleenroll"), PKCS10, USER, csr).statusCode()).isEqualTo(202);
        }

        driver = chromium();
        wait = new WebDriverWait(driver, Duration.ofSeconds(20))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    /** Headless Chromium from the Debian packages; fails loudly (never skips) when they are missing. */
    static ChromeDriver chromium() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM)).as("%s missing: apt-get install chromium chromium-driver", CHROMIUM)
                .isTrue();
        assertThat(Files.isExecutable(CHROMEDRIVER))
                .as("%s missing: apt-get install chromium chromium-driver", CHROMEDRIVER).isTrue();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--ignore-certificate-errors", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1280,900",
                "--user-data-dir=" + browserProfile.toAbsolutePath());
        // an alert stays open (and is found by the check below) instead of being dismissed silently
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        // exactly 1280 x 900 CSS pixels of page, whatever the window decorations take
        chrome.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 1280, "height", 900, "deviceScaleFactor", 1, "mobile", false));
        return chrome;
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            server.close();
        }
        LogHygiene.assertNoSecrets();
    }

    static X509Certificate enroll(String op, String subject) throws Exception {
        HttpResponse<byte[]> response = http.post(server.est(op), PKCS10, USER, b64csr(subject));
        assertThat(response.statusCode()).as(EstHttp.text(response)).isEqualTo(200);
        return TestPki.parseCertificates(Base64.getMimeDecoder().decode(response.body())).get(0);
    }

    static byte[] b64csr(String subject) throws Exception {
        KeyPair keys = TestPki.ec256();
        return Base64.getEncoder().encode(TestPki.csr(keys, subject).getEncoded());
    }

    static String dashboard() {
        return "https://localhost:" + server.port() + "/admin/";
    }

    static HttpResponse<byte[]> get(String path, String auth) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path));
        if (auth != null) {
            request.header("Authorization", auth);
        }
        return http.send(request.build());
    }

    /** Logs in through the URL (Chrome keeps the Basic credentials for the realm and reuses them for fetch). */
    static void openDashboard() {
        driver.get("https://" + EstTestServer.ADMIN + ":" + EstTestServer.ADMIN_PASSWORD + "@localhost:"
                + server.port() + "/admin/");
        awaitReady();
    }

    static void awaitReady() {
        try {
            wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("dashboard not ready at " + driver.getCurrentUrl() + "; message: "
                    + driver.findElements(By.id("message")).stream().map(WebElement::getText).toList()
                    + "; browser log: " + driver.manage().logs().get(LogType.BROWSER).getAll() + "; page: "
                    + driver.getPageSource().substring(0, Math.min(2000, driver.getPageSource().length())), e);
        }
    }

    static void confirm() {
        wait.until(ExpectedConditions.attributeToBeNotEmpty(driver.findElement(By.id("confirm-dialog")), "open"));
        driver.findElement(By.id("confirm-ok")).click();
    }

    static WebElement pendingButton(String subject, String action) {
        return driver.findElement(By.xpath("//table[@id='pending']//tr[contains(., '" + subject + "')]//button[contains("
                + "@class, '" + action + "')]"));
    }

    static void awaitMessage(String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), text));
    }

    static void search(String text) {
        WebElement q = driver.findElement(By.id("q"));
        q.clear();
        q.sendKeys(text);
        wait.until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("#devices tbody tr"));
            return !rows.isEmpty() && rows.stream().allMatch(row -> row.getText().contains(text));
        });
    }

    static void noAlert() {
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    static void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name), driver.getScreenshotAs(OutputType.BYTES));
    }

    static List<String> browserErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::toString).collect(Collectors.toList());
    }

    @Test
    @Order(1)
    void theDashboardNeedsTheAdminRoleAndIsServedWithAStrictPolicy() throws Exception {
        assertThat(get("/admin/", null).statusCode()).isEqualTo(401);
        assertThat(get("/admin/app.js", USER).statusCode()).isEqualTo(403);
        HttpResponse<byte[]> page = get("/admin/", ADMIN);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().allValues("Content-Security-Policy")).containsExactly(AdminPageFilter.POLICY);
        assertThat(AdminPageFilter.POLICY).contains("default-src 'self'", "script-src 'self'", "style-src 'self'",
                "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        String html = EstHttp.text(page);
        // nothing from elsewhere, nothing inline
        assertThat(html).doesNotContainPattern("(?i)(src|href)=\"(https?:)?//").doesNotContain("<style")
                .doesNotContain("style=").doesNotContainPattern("(?i)<script>").doesNotContainPattern("(?i) on[a-z]+=");
        String js = EstHttp.text(get("/admin/app.js", ADMIN));
        assertThat(js).doesNotContain("innerHTML").doesNotContain("outerHTML").doesNotContain("insertAdjacentHTML")
                .doesNotContain("document.write").doesNotContain("eval(").doesNotContainPattern("https?://(?!www\\.w3\\.org/2000/svg)");
        assertThat(get("/admin/app.js", ADMIN).headers().firstValue("Content-Security-Policy"))
                .hasValue(AdminPageFilter.POLICY);
        assertThat(EstHttp.text(get("/api/whoami", ADMIN))).isEqualTo("{\"user\":\"admin\"}");
        // plain HTTP never serves the dashboard
        HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                server.plainEst("x").toString().replace("/.well-known/est/x", "/admin/"))).header("Authorization",
                ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(403);
    }

    @Test
    @Order(2)
    void loginShowsCountsDevicesChartAndAHostileSubjectAsText() throws Exception {
        openDashboard();
        assertThat(driver.findElement(By.id("who")).getText()).isEqualTo("Logged in as admin");
        noAlert();
        assertThat(driver.findElement(By.id("count-devices")).getText()).isEqualTo("9");
        assertThat(driver.findElement(By.id("count-valid")).getText()).isEqualTo("9");
        assertThat(driver.findElement(By.id("count-expiring")).getText()).isEqualTo("2");
        assertThat(driver.findElement(By.id("count-window")).getText()).isEqualTo("45");

        // the hostile CN is text in the table: no script or image element was created, and no alert fired
        String subject = xss.getSubjectX500Principal().getName(X500Principal.RFC2253);
        List<WebElement> cells = driver.findElements(By.cssSelector("#devices tbody button.subject"));
        assertThat(cells).extracting(WebElement::getText).contains(subject);
        assertThat(subject).contains("<script").contains("alert(1)");
        assertThat(((JavascriptExecutor) driver).executeScript(
                "return document.querySelectorAll('main script, main img, dialog script').length")).isEqualTo(0L);
        noAlert();

        // expiring-soon rows are highlighted: the two 20-day certificates inside the 45-day window
        List<WebElement> expiring = driver.findElements(By.cssSelector("#devices tbody tr.expiring"));
        assertThat(expiring).hasSize(2).allSatisfy(row -> assertThat(row.getText()).contains("ward3-"));

        // the chart: 52 bars, month labels, a text alternative; 7 certificates in week 28 (200 days), 2 in week 2
        List<WebElement> bars = driver.findElements(By.cssSelector("#chart svg rect.bar"));
        assertThat(bars).hasSize(52);
        assertThat(bars.stream().mapToInt(bar -> Integer.parseInt(bar.getAttribute("data-count"))).sum())
                .isEqualTo(9);
        assertThat(bars.get(28).getAttribute("data-count")).isEqualTo("7");
        assertThat(bars.get(2).getAttribute("data-count")).isEqualTo("2");
        assertThat(driver.findElements(By.cssSelector("#chart svg text.x-label")).size()).isGreaterThanOrEqualTo(12);
        assertThat(driver.findElement(By.cssSelector("#chart svg")).getAttribute("role")).isEqualTo("img");
        assertThat(driver.findElement(By.id("chart-svg-desc")).getAttribute("textContent"))
                .contains("9 certificates expire in the next 52 weeks");

        // paging and filters
        new Select(driver.findElement(By.id("size"))).selectByVisibleText("25");
        driver.findElement(By.id("expiring")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-info"), "1–2 of 2"));
        driver.findElement(By.id("expiring")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-info"), "1–9 of 9"));

        assertThat(browserErrors()).isEmpty();
        screenshot("dashboard-first-load.png");
    }

    @Test
    @Order(3)
    void approvingAndRejectingHeldEnrollmentsInTheBrowser() throws Exception {
        openDashboard();
        assertThat(driver.findElement(By.id("pending-count")).getText()).isEqualTo("3");
        // still held before the decision
        assertThat(http.post(server.est("manual/simpleenroll"), PKCS10, USER, approveCsr).statusCode())
                .isEqualTo(202);

        pendingButton("CN=pump-approve,O=Hospital", "approve").click();
        assertThat(driver.findElement(By.id("confirm-text")).getText()).contains("CN=pump-approve");
        confirm();
        awaitMessage("approved");
        wait.until(ExpectedConditions.textToBe(By.id("pending-count"), "2"));

        pendingButton("CN=pump-reject,O=Hospital", "reject").click();
        confirm();
        awaitMessage("rejected");
        wait.until(ExpectedConditions.textToBe(By.id("pending-count"), "1"));
        assertThat(driver.findElement(By.id("pending")).getText()).contains("CN=pump-waiting,O=Hospital")
                .doesNotContain("pump-approve").doesNotContain("pump-reject");

        // the clients' retries
        HttpResponse<byte[]> issued = http.post(server.est("manual/simpleenroll"), PKCS10, USER, approveCsr);
        assertThat(issued.statusCode()).isEqualTo(200);
        assertThat(TestPki.parseCertificates(Base64.getMimeDecoder().decode(issued.body())).get(0)
                .getSubjectX500Principal().getName()).isEqualTo("CN=pump-approve,O=Hospital");
        assertThat(http.post(server.est("manual/simpleenroll"), PKCS10, USER, rejectCsr).statusCode())
                .isEqualTo(403);
        assertThat(browserErrors()).isEmpty();
    }

    @Test
    @Order(4)
    void revokingWithKeyCompromiseInTheBrowserPutsTheCertificateInTheCrl() throws Exception {
        openDashboard();
        search("pump-lost");
        driver.findElement(By.cssSelector("#devices tbody button.subject")).click();
        WebElement dialog = driver.findElement(By.id("device-dialog"));
        wait.until(ExpectedConditions.attributeToBeNotEmpty(dialog, "open"));
        assertThat(driver.findElement(By.id("device-title")).getText()).isEqualTo("CN=pump-lost,O=Hospital");
        String serial = lost.getSerialNumber().toString(16).toUpperCase();
        assertThat(driver.findElements(By.cssSelector("#history tbody tr"))).hasSize(1);
        assertThat(driver.findElement(By.cssSelector("#history tbody tr")).getAttribute("data-serial"))
                .isEqualTo(serial);

        new Select(driver.findElement(By.id("revoke-reason"))).selectByValue("keyCompromise");
        driver.findElement(By.id("revoke-button")).click();
        assertThat(driver.findElement(By.id("confirm-text")).getText()).contains(serial).contains("keyCompromise");
        confirm();
        awaitMessage("revoked (keyCompromise)");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#history tbody tr"),
                "keyCompromise"));
        assertThat(driver.findElement(By.id("revoke-button")).isEnabled()).isFalse();
        screenshot("dashboard-device.png");
        driver.findElement(By.id("device-close")).click();

        wait.until(d -> "revoked".equals(d.findElement(By.cssSelector("#devices tbody tr")).getAttribute("data-status")));
        new Select(driver.findElement(By.id("status"))).selectByValue("revoked");
        wait.until(ExpectedConditions.textToBe(By.id("page-info"), "1–1 of 1"));
        // the table re-renders after each fetch: read it inside the (stale-tolerant) wait
        wait.until(d -> {
            String row = d.findElement(By.cssSelector("#devices tbody tr")).getText();
            return row.contains("pump-lost") && row.contains("REVOKED");
        });
        wait.until(ExpectedConditions.textToBe(By.id("count-revoked"), "1"));

        HttpResponse<byte[]> crl = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                server.plainEst("x").toString().replace("/.well-known/est/x", "/crl/default.crl"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(crl.statusCode()).isEqualTo(200);
        X509CRL parsed = (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(crl.body()));
        parsed.verify(pki.caCertificate().getPublicKey());
        X509CRLEntry entry = parsed.getRevokedCertificate(lost);
        assertThat(entry).as("pump-lost in the CRL").isNotNull();
        assertThat(entry.getRevocationReason()).isEqualTo(CRLReason.KEY_COMPROMISE);
        assertThat(parsed.getRevokedCertificates()).hasSize(1);
        assertThat(browserErrors()).isEmpty();
    }

    @Test
    @Order(5)
    void deletingADeviceInTheBrowser() throws Exception {
        openDashboard();
        search("pump-retire");
        driver.findElement(By.cssSelector("#devices tbody tr")).click();
        wait.until(ExpectedConditions.attributeToBeNotEmpty(driver.findElement(By.id("device-dialog")), "open"));
        driver.findElement(By.id("delete-button")).click();
        // cancelling changes nothing
        wait.until(ExpectedConditions.attributeToBeNotEmpty(driver.findElement(By.id("confirm-dialog")), "open"));
        driver.findElement(By.id("confirm-cancel")).click();
        assertThat(driver.findElement(By.id("delete-button")).isEnabled()).isTrue();
        driver.findElement(By.id("delete-button")).click();
        confirm();
        awaitMessage("deleted; 1 certificate revoked");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("device-facts"), "DELETED"));
        assertThat(driver.findElement(By.id("delete-button")).isEnabled()).isFalse();
        driver.findElement(By.id("device-close")).click();
        wait.until(ExpectedConditions.textToBe(By.id("count-deleted"), "1"));
        assertThat(browserErrors()).isEmpty();
    }

    @Test
    @Order(6)
    void screenshotOfTheDashboardAt1280() throws Exception {
        openDashboard();
        noAlert();
        Object viewport = ((JavascriptExecutor) driver).executeScript("return [innerWidth, innerHeight]");
        assertThat(viewport.toString()).isEqualTo("[1280, 900]");
        // no horizontal scrolling at 1280 px
        assertThat(((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth <= innerWidth")).isEqualTo(true);
        screenshot("dashboard.png");
        assertThat(Files.size(SCREENSHOTS.resolve("dashboard.png"))).isGreaterThan(10_000);
        // and the whole page, below the fold too
        long height = (Long) ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollHeight");
        Map<String, Object> full = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", 1280, "height", height,
                        "scale", 1)));
        Files.write(SCREENSHOTS.resolve("dashboard-full.png"), Base64.getDecoder().decode((String) full.get("data")));
        assertThat(browserErrors()).isEmpty();
    }

    static List<String> deviceRows() {
        return driver.findElements(By.cssSelector("#devices tbody button.subject")).stream().map(WebElement::getText)
                .toList();
    }

    static List<String> beds(int from, int to) {
        return java.util.stream.IntStream.range(from, to).mapToObj(i -> String.format("CN=bed-%02d,O=Hospital", i))
                .toList();
    }

    /** Waits for the page counter, then checks the rows (read inside the wait: the table re-renders per fetch). */
    static void awaitPage(String info, List<String> subjects) {
        wait.until(ExpectedConditions.textToBe(By.id("page-info"), info));
        wait.until(d -> deviceRows().equals(subjects));
    }

    @Test
    @Order(7)
    void nextAndPreviousPageThroughTheDevicesByCursor() throws Exception {
        for (int i = 0; i < 52; i++) {
            enroll("simpleenroll", String.format("O=Hospital,CN=bed-%02d", i));
        }
        openDashboard();
        new Select(driver.findElement(By.id("size"))).selectByVisibleText("25");
        search("bed-");
        awaitPage("1–25 of 52", beds(0, 25));
        assertThat(driver.findElement(By.id("prev")).isEnabled()).isFalse();
        driver.findElement(By.id("next")).click();
        awaitPage("26–50 of 52", beds(25, 50));
        assertThat(driver.findElement(By.id("prev")).isEnabled()).isTrue();
        driver.findElement(By.id("next")).click();
        awaitPage("51–52 of 52", beds(50, 52));
        assertThat(driver.findElement(By.id("next")).isEnabled()).isFalse();
        driver.findElement(By.id("prev")).click();
        awaitPage("26–50 of 52", beds(25, 50));
        assertThat(driver.findElement(By.id("next")).isEnabled()).isTrue();
        driver.findElement(By.id("prev")).click();
        awaitPage("1–25 of 52", beds(0, 25));
        assertThat(driver.findElement(By.id("prev")).isEnabled()).isFalse();

        // a new filter starts again at its first page, with its own total
        driver.findElement(By.id("next")).click();
        awaitPage("26–50 of 52", beds(25, 50));
        new Select(driver.findElement(By.id("status"))).selectByValue("valid");
        awaitPage("1–25 of 52", beds(0, 25));

        // the pages were asked for by cursor; the total only for the first page of each filter
        @SuppressWarnings("unchecked")
        List<String> requests = (List<String>) ((JavascriptExecutor) driver).executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/api/devices?'))");
        assertThat(requests).isNotEmpty().noneMatch(url -> url.contains("page="));
        assertThat(requests).filteredOn(url -> url.contains("after=")).hasSizeGreaterThanOrEqualTo(4)
                .allMatch(url -> url.contains("count=false"));
        assertThat(browserErrors()).isEmpty();
    }
}
