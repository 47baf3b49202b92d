package org.openest.est.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.Map;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openest.est.ca.Crypto;
import org.openest.est.ca.DevPki;
import org.openest.est.testing.EstHttp;
import org.openest.est.testing.EstTestServer;
import org.openest.est.testing.LogHygiene;
import org.openest.est.testing.TestPki;

/**
 * Client certificates forwarded by a TLS-terminating load balancer (RFC 9440 Client-Cert, SSL_CLIENT_CERT): believed
 * only from http.trusted-proxies, verified against our CA, and otherwise ignored or rejected with an audit line.
 */
class ForwardedCertificateIT {
    static final String PKCS10 = "application/pkcs10";
    static final String NO_CERTIFICATE = "A TLS client certificate issued by this CA is required\n";

    @TempDir
    Path home;

    static byte[] csr(KeyPair keys, String subject) throws Exception {
        return Base64.getEncoder().encode(TestPki.csr(keys, subject).getEncoded());
    }

    static String sf(X509Certificate certificate) throws Exception {
        return ":" + Base64.getEncoder().encodeToString(certificate.getEncoded()) + ":";
    }

    static HttpResponse<byte[]> reenroll(EstHttp http, EstTestServer server, String header, String value,
                                         String subject) throws Exception {
        return http.send(HttpRequest.newBuilder(server.est("simplereenroll")).header("Content-Type", PKCS10)
                .header(header, value).POST(HttpRequest.BodyPublishers.ofByteArray(csr(TestPki.ec256(), subject)))
                .build());
    }

    @Test
    void aHeaderFromAnAddressThatIsNotATrustedProxyIsIgnoredAndAudited() throws Exception {
        TestPki pki = TestPki.create("Forwarding IT CA 1");
        try (EstTestServer server = EstTestServer.start(home, pki, Map.of())) {
            X509Certificate device = pki.issueClient(TestPki.ec256(), "CN=pump-fwd-1", KeyPurposeId.id_kp_clientAuth);
            EstHttp http = new EstHttp(pki, null);
            long mark = LogHygiene.mark();
            HttpResponse<byte[]> response = reenroll(http, server, "Client-Cert", sf(device), "CN=pump-fwd-1");
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(EstHttp.text(response)).isEqualTo(NO_CERTIFICATE);
            HttpResponse<byte[]> pem = reenroll(http, server, "SSL_CLIENT_CERT", DevPki.pem(device).strip()
                    .replace("\n", " "), "CN=pump-fwd-1");
            assertThat(pem.statusCode()).isEqualTo(403);
            assertThat(LogHygiene.since(mark))
                    .contains("FORWARDED_CERT_IGNORED header=Client-Cert ip=127.0.0.1")
                    .contains("FORWARDED_CERT_IGNORED header=SSL_CLIENT_CERT ip=127.0.0.1");
        }
    }

    @Test
    void aVerifiedHeaderFromATrustedProxyAuthenticatesReenrollment() throws Exception {
        TestPki pki = TestPki.create("Forwarding IT CA 2");
        try (EstTestServer server = EstTestServer.start(home, pki, Map.of("http.trusted-proxies", "127.0.0.1"))) {
            EstHttp http = new EstHttp(pki, null);
            HttpResponse<byte[]> enrolled = http.post(server.est("simpleenroll"), PKCS10,
                    EstHttp.basic(EstTestServer.USER, EstTestServer.PASSWORD), csr(TestPki.ec256(), "CN=pump-fwd-2"));
            assertThat(enrolled.statusCode()).isEqualTo(200);
            X509Certificate current = TestPki.parseCertificates(Base64.getMimeDecoder().decode(enrolled.body()))
                    .get(0);

            HttpResponse<byte[]> renewed = reenroll(http, server, "Client-Cert", sf(current), "CN=pump-fwd-2");
            assertThat(renewed.statusCode()).as(EstHttp.text(renewed)).isEqualTo(200);
            X509Certificate next = TestPki.parseCertificates(Base64.getMimeDecoder().decode(renewed.body())).get(0);
            assertThat(next.getSubjectX500Principal()).isEqualTo(current.getSubjectX500Principal());
            assertThat(renewalOf(server, next)).isEqualTo(serial(current));

            HttpResponse<byte[]> viaPem = reenroll(http, server, "SSL_CLIENT_CERT",
                    DevPki.pem(next).strip().replace("\r", "").replace("\n", " "), "CN=pump-fwd-2");
            assertThat(viaPem.statusCode()).as(EstHttp.text(viaPem)).isEqualTo(200);
        }
    }

    @Test
    void aForgedOrExpiredCertificateFromATrustedProxyIsRejected() throws Exception {
        String caName = "Forwarding IT CA 3";
        TestPki pki = TestPki.create(caName);
        Map<String, String> config = Map.of("http.trusted-proxies", "::1, 127.0.0.0/8");
        try (EstTestServer server = EstTestServer.start(home, pki, config)) {
            EstHttp http = new EstHttp(pki, null);
            TestPki forger = TestPki.create(caName); // our CA's name, another key
            X509Certificate forged = forger.issueClient(TestPki.ec256(), "CN=pump-fwd-3",
                    KeyPurposeId.id_kp_clientAuth);
            long mark = LogHygiene.mark();
            HttpResponse<byte[]> response = reenroll(http, server, "Client-Cert", sf(forged), "CN=pump-fwd-3");
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(EstHttp.text(response)).isEqualTo(NO_CERTIFICATE);

            X509Certificate expired = pki.issueExpired(TestPki.ec256(), "CN=pump-fwd-4");
            expired.verify(pki.caCertificate().getPublicKey(), Crypto.provider()); // really ours, only expired
            HttpResponse<byte[]> old = reenroll(http, server, "Client-Cert", sf(expired), "CN=pump-fwd-4");
            assertThat(old.statusCode()).isEqualTo(403);
            assertThat(EstHttp.text(old)).isEqualTo(NO_CERTIFICATE);

            HttpResponse<byte[]> garbage = reenroll(http, server, "Client-Cert", ":bm90IGEgY2VydA==:",
                    "CN=pump-fwd-5");
            assertThat(garbage.statusCode()).isEqualTo(403);
            assertThat(LogHygiene.since(mark))
                    .contains("FORWARDED_CERT_REJECTED header=Client-Cert ip=127.0.0.1 subject=\"CN=pump-fwd-3\""
                            + " reason=\"not issued by a CA of this server\"")
                    .contains("subject=\"CN=pump-fwd-4\" reason=\"not currently valid\"")
                    .contains("reason=\"unparseable");
        }
    }

    @Test
    void aTrustedProxyThatIsNotAnAddressFailsTheDeploymentNamingTheKey() {
        assertThatThrownBy(() -> EstTestServer.start(home, TestPki.create("Forwarding IT CA 4"),
                Map.of("http.trusted-proxies", "10.0.0.0/8, lb.example.org")).close())
                .hasStackTraceContaining("http.trusted-proxies").hasStackTraceContaining("lb.example.org");
    }

    static String serial(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT);
    }

    static String renewalOf(EstTestServer server, X509Certificate certificate) throws Exception {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "SA", "");
             PreparedStatement query = connection.prepareStatement(
                     "SELECT renewal_of FROM certificate WHERE serial = ?")) {
            query.setString(1, serial(certificate));
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getString(1);
            }
        }
    }
}
