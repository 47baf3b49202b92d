package org.openest.est.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Checks the whole test log (every request so far in this JVM) for secrets that must never be logged. */
public final class LogHygiene {
    private LogHygiene() {
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
