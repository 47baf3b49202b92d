package org.openest.est.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openest.est.testing.EstHttp;
import org.openest.est.testing.EstTestServer;
import org.openest.est.testing.LogHygiene;
import org.openest.est.testing.TestPki;

/**
 * Failed HTTP Basic logins lock out a user name or a client address (429 + Retry-After, the password no longer
 * checked), and the per-client enrollment rate limit, over real TLS. All requests come from 127.0.0.1, so separate
 * servers test the per-user and the per-address limit, and a server that trusts 127.0.0.1 as a proxy gives each
 * X-Forwarded-For address its own count.
 */
class LoginLockoutIT {
    static final String PKCS10 = "application/pkcs10";

    @TempDir
    Path home;

    @AfterAll
    static void noSecretsLogged() throws Exception {
        LogHygiene.assertNoSecrets();
        assertThat(LogHygiene.since(0)).doesNotContain("guess-");
    }

    static byte[] csr(String subject) {
        try {
            return Base64.getEncoder().encode(TestPki.csr(TestPki.ec256(), subject).getEncoded());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<byte[]> enroll(EstHttp http, EstTestServer server, String user, String password,
                                       String forwardedFor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.est("simpleenroll"))
                .header("Content-Type", PKCS10).header("Authorization", EstHttp.basic(user, password))
                .POST(HttpRequest.BodyPublishers.ofByteArray(csr("CN=lockout-" + user)));
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return http.send(request.build());
    }

    static void assertLockedOut(HttpResponse<byte[]> response, long maxSeconds) {
        assertThat(response.statusCode()).as(EstHttp.text(response)).isEqualTo(429);
        assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, maxSeconds);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(EstHttp.text(response)).isEqualTo("Too many failed authentication attempts; try again later\n");
    }

    @Test
    void aUserNameIsLockedOutEvenForTheRightPasswordAndUnknownNamesAlike() throws Exception {
        TestPki pki = TestPki.create("Lockout CA 1");
        try (EstTestServer server = EstTestServer.start(home, pki, Map.of("auth.max-failures", "3",
                "auth.max-failures-per-ip", "0", "auth.lockout-seconds", "120"))) {
            EstHttp http = new EstHttp(pki, null);
            long mark = LogHygiene.mark();
            for (int i = 0; i < 3; i++) {
                HttpResponse<byte[]> wrong = enroll(http, server, EstTestServer.USER, "guess-" + i, null);
                assertThat(wrong.statusCode()).isEqualTo(401);
                assertThat(wrong.body()).isEmpty();
            }
            assertLockedOut(enroll(http, server, EstTestServer.USER, EstTestServer.PASSWORD, null), 120);

            for (int i = 0; i < 3; i++) {
                assertThat(enroll(http, server, "no-such-user", "guess-x" + i, null).statusCode()).isEqualTo(401);
            }
            assertLockedOut(enroll(http, server, "no-such-user", "guess-y", null), 120);

            assertThat(enroll(http, server, EstTestServer.GATEWAY, EstTestServer.GATEWAY_PASSWORD, null)
                    .statusCode()).as("another user from the same address").isEqualTo(200);
            HttpResponse<byte[]> metrics = http.send(HttpRequest.newBuilder(server.root("metrics"))
                    .header("Authorization", EstHttp.basic(EstTestServer.ADMIN, EstTestServer.ADMIN_PASSWORD)).build());
            assertThat(EstHttp.text(metrics))
                    .contains("est_enrollments_total{label=\"\",operation=\"simpleenroll\",outcome=\"locked_out\"} 2.0")
                    .contains("est_auth_failures_total 6.0");
            String audit = LogHygiene.since(mark);
            assertThat(audit).contains("LOCKOUT user=\"estuser\" failures=3 window=300s lockout=120s ip=127.0.0.1")
                    .contains("LOCKOUT user=\"no-such-user\"");
        }
    }

    @Test
    void anAddressIsLockedOutOverAllUserNamesButCertificatesStillWork() throws Exception {
        TestPki pki = TestPki.create("Lockout CA 2");
        try (EstTestServer server = EstTestServer.start(home, pki, Map.of("auth.max-failures", "0",
                "auth.max-failures-per-ip", "3"))) {
            EstHttp http = new EstHttp(pki, null);
            for (String user : new String[] {"a", "b", EstTestServer.GATEWAY}) {
                assertThat(enroll(http, server, user, "guess-ip", null).statusCode()).isEqualTo(401);
            }
            assertLockedOut(enroll(http, server, EstTestServer.USER, EstTestServer.PASSWORD, null), 300);

            KeyPair keys = TestPki.ec256();
            X509Certificate device = pki.issueClient(keys, "CN=lockout-device", KeyPurposeId.id_kp_clientAuth);
            EstHttp asDevice = new EstHttp(pki, TestPki.keyStore(keys.getPrivate(), device, pki.caCertificate()));
            HttpResponse<byte[]> renewed = asDevice.post(server.est("simplereenroll"), PKCS10, null,
                    csr("CN=lockout-device"));
            assertThat(renewed.statusCode()).as("a certificate is not a password attempt").isEqualTo(200);
        }
    }

    @Test
    void behindATrustedProxyASuccessFromOneAddressResetsNoOtherAddressesFailures() throws Exception {
        TestPki pki = TestPki.create("Lockout CA 3");
        try (EstTestServer server = EstTestServer.start(home, pki, Map.of("http.trusted-proxies", "127.0.0.1/32",
                "auth.max-failures", "3", "auth.max-failures-per-ip", "3"))) {
            EstHttp http = new EstHttp(pki, null);
            String attacker = "192.0.2.66";
            String device = "192.0.2.10";
            assertThat(enroll(http, server, EstTestServer.USER, "guess-1", attacker).statusCode()).isEqualTo(401);
            assertThat(enroll(http, server, EstTestServer.USER, "guess-2", attacker).statusCode()).isEqualTo(401);
            assertThat(enroll(http, server, EstTestServer.USER, EstTestServer.PASSWORD, device).statusCode())
                    .isEqualTo(200);
            assertThat(enroll(http, server, EstTestServer.USER, "guess-3", attacker).statusCode()).isEqualTo(401);
            assertLockedOut(enroll(http, server, EstTestServer.USER, EstTestServer.PASSWORD, device), 300);

            long mark = LogHygiene.mark();
            for (String user : new String[] {"x", "y", "z"}) {
                assertThat(enroll(http, server, user, "guess-4", "198.51.100.7").statusCode()).isEqualTo(401);
            }
            assertLockedOut(enroll(http, server, EstTestServer.GATEWAY, EstTestServer.GATEWAY_PASSWORD,
                    "198.51.100.7"), 300);
            assertThat(enroll(http, server, EstTestServer.GATEWAY, EstTestServer.GATEWAY_PASSWORD,
                    "203.0.113.1, 198.51.100.8").statusCode()).as("another client address").isEqualTo(200);
            assertThat(LogHygiene.since(mark)).contains("LOCKOUT ip=\"198.51.100.7\"");
        }
    }

    @Test
    void enrollmentsPerClientAreRateLimited() throws Exception {
        TestPki pki = TestPki.create("Rate CA");
        try (EstTestServer server = EstTestServer.start(home, pki, Map.of("auth.max-enrollments-per-minute", "2"))) {
            EstHttp http = new EstHttp(pki, null);
            assertThat(enroll(http, server, EstTestServer.USER, EstTestServer.PASSWORD, null).statusCode())
                    .isEqualTo(200);
            assertThat(enroll(http, server, EstTestServer.USER, EstTestServer.PASSWORD, null).statusCode())
                    .isEqualTo(200);
            HttpResponse<byte[]> third = enroll(http, server, EstTestServer.USER, EstTestServer.PASSWORD, null);
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(Long.parseLong(third.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 30L);
            assertThat(EstHttp.text(third)).isEqualTo("Too many enrollment requests; try again later\n");
            assertThat(EstHttp.text(http.send(HttpRequest.newBuilder(server.root("metrics")).header("Authorization",
                    EstHttp.basic(EstTestServer.ADMIN, EstTestServer.ADMIN_PASSWORD)).build())))
                    .contains("outcome=\"rate_limited\"} 1.0");
            assertThat(enroll(http, server, EstTestServer.GATEWAY, EstTestServer.GATEWAY_PASSWORD, null)
                    .statusCode()).as("another client").isEqualTo(200);
        }
    }
}
