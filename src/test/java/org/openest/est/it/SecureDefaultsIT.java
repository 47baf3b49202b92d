package org.openest.est.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openest.est.testing.EstHttp;
import org.openest.est.testing.EstTestServer;
import org.openest.est.testing.TestPki;

/** Security headers on every kind of response from the webapp, and the CA key file permission check at startup. */
class SecureDefaultsIT {
    @TempDir
    static Path home;
    static EstTestServer server;
    static EstHttp client;

    @BeforeAll
    static void start() throws Exception {
        server = EstTestServer.start(home, TestPki.create("Headers CA"), Map.of());
        client = new EstHttp(server.pki(), null);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    record Case(String name, int status, HttpRequest request) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> responses() throws Exception {
        byte[] csr = Base64.getEncoder().encode(TestPki.csr(TestPki.ec256(), "CN=headers").getEncoded());
        return Stream.of(
                new Case("cacerts 200", 200, HttpRequest.newBuilder(server.est("cacerts")).build()),
                new Case("csrattrs 204", 204, HttpRequest.newBuilder(server.est("csrattrs")).build()),
                new Case("simpleenroll 200", 200, HttpRequest.newBuilder(server.est("simpleenroll"))
                        .header("Content-Type", "application/pkcs10")
                        .header("Authorization", EstHttp.basic(EstTestServer.USER, EstTestServer.PASSWORD))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(csr)).build()),
                new Case("simpleenroll 401", 401, HttpRequest.newBuilder(server.est("simpleenroll"))
                        .header("Content-Type", "application/pkcs10")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(csr)).build()),
                new Case("unknown operation 404", 404, HttpRequest.newBuilder(server.est("nosuch")).build()),
                new Case("health 200", 200, HttpRequest.newBuilder(server.root("health")).build()),
                new Case("admin API 200", 200, HttpRequest.newBuilder(server.api("pending"))
                        .header("Authorization", EstHttp.basic(EstTestServer.ADMIN, EstTestServer.ADMIN_PASSWORD))
                        .build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void everyResponseCarriesTheSecurityHeaders(Case c) throws Exception {
        HttpResponse<byte[]> response = client.send(c.request());
        assertThat(response.statusCode()).as(EstHttp.text(response)).isEqualTo(c.status());
        assertSecurityHeaders(response);
    }

    @Test
    void plainHttpRefusalCarriesThemToo() throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.plainEst("cacerts")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(403);
        assertSecurityHeaders(response);
    }

    static void assertSecurityHeaders(HttpResponse<byte[]> response) {
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
        assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
        assertThat(response.headers().firstValue("Content-Security-Policy"))
                .hasValue("default-src 'none'; frame-ancestors 'none'");
    }

    @Test
    void aWorldReadableCaKeyStopsTheDeploymentNamingTheFileAndTheFix() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        TestPki pki = TestPki.create("Careless CA");
        Path cert = pki.writeCaPem(home.resolve("careless"));
        Path key = cert.resolveSibling("test-ca-key.pem");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Map<String, String> config = Map.of("ca.cert", cert.toString(), "ca.key", key.toString());
        assertThatThrownBy(() -> EstTestServer.start(home.resolve("careless-home"), pki, config).close())
                .hasStackTraceContaining("CA key file " + key + " is readable by every user")
                .hasStackTraceContaining("chmod 600 " + key);

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        try (EstTestServer fixed = EstTestServer.start(home.resolve("careful-home"), pki, config)) {
            assertThat(new EstHttp(pki, null).get(fixed.est("cacerts")).statusCode()).isEqualTo(200);
        }
    }
}
