package org.openest.est.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Checks the whole test log (every request so far in this JVM) for secrets that must never be logged, and reads what
 * a test logged.
 */
public final class LogHygiene {
    private LogHygiene() {
    }

    /**
     * @return the current end of the test log, for {@link #since}
     * @throws IOException if the log cannot be read
     */
    public static long mark() throws IOException {
        Path log = Path.of("target", "test-logs", "est-tests.log");
        return Files.exists(log) ? Files.size(log) : 0;
    }

    /**
     * @param mark a value of {@link #mark}
     * @return what was logged after it
     * @throws IOException if the log cannot be read
     */
    public static String since(long mark) throws IOException {
        byte[] all = Files.readAllBytes(Path.of("target", "test-logs", "est-tests.log"));
        return new String(all, (int) Math.min(mark, all.length), (int) Math.max(0, all.length - mark),
                StandardCharsets.UTF_8);
    }

    /**
     * Fails if a test password, a Basic credential, an Authorization header or a private key appears in the log.
     *
     * @throws IOException if the log cannot be read
     */
    public static void assertNoSecrets() throws IOException {
        Path log = Path.of("target", "test-logs", "est-tests.log");
        assertThat(log).exists();
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(text).contains("ISSUED"); // the audit log is there, so the check below is meaningful
        String credential = Base64.getEncoder().encodeToString(
                (EstTestServer.USER + ":" + EstTestServer.PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(text).doesNotContain(EstTestServer.PASSWORD).doesNotContain(EstTestServer.OTHER_PASSWORD)
                .doesNotContain(EstTestServer.ADMIN_PASSWORD)
                .doesNotContain(EstTestServer.GATEWAY_PASSWORD)
                .doesNotContain(credential).doesNotContainIgnoringCase("Authorization:")
                .doesNotContain("PRIVATE KEY").doesNotContain(new String(TestPki.PASSWORD));
    }
}
