package org.openest.est.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openest.est.testing.EstHttp;
import org.openest.est.testing.EstTestServer;
import org.openest.est.testing.TestPki;

/** Every client-visible error over real TLS: status, headers and the text/plain reason; nothing recorded. */
class EstErrorsIT {
    static final String AUTH = EstHttp.basic(EstTestServer.USER, EstTestServer.PASSWORD);
    static final String PKCS10 = "application/pkcs10";

    @TempDir
    static Path home;
    static EstTestServer server;
    static EstHttp client;

    @BeforeAll
    static void start() throws Exception {
        server = EstTestServer.start(home, TestPki.create("EST Error Test CA"), Map.of());
        client = new EstHttp(server.pki(), null);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        org.openest.est.testing.LogHygiene.assertNoSecrets();
    }

    static byte[] b64(byte[] der) {
        return Base64.getMimeEncoder().encode(der);
    }

    static byte[] csr(KeyPair keys, String subject, ExtensionsGenerator extensions) {
        try {
            return b64(TestPki.csr(keys, subject, extensions).getEncoded());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] badSignature() {
        try {
            byte[] der = TestPki.csr(TestPki.ec256(), "CN=bad-signature").getEncoded();
            der[der.length - 5] ^= 0x01;
            return b64(der);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ExtensionsGenerator extension(org.bouncycastle.asn1.ASN1ObjectIdentifier oid,
                                         org.bouncycastle.asn1.ASN1Encodable value) {
        try {
            ExtensionsGenerator generator = new ExtensionsGenerator();
            generator.addExtension(oid, true, value);
            return generator;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    record Case(String name, String method, String path, String contentType, String auth, Supplier<byte[]> body,
                int status, String reason, String header, String headerValue) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        byte[] none = new byte[0];
        return Stream.of(
                new Case("unknown operation", "GET", "nosuch", null, null, () -> none, 404,
                        "Unknown EST operation", null, null),
                new Case("unknown label", "GET", "nolabel/cacerts", null, null, () -> none, 404,
                        "Unknown EST label", null, null),
                new Case("too many segments", "GET", "a/b/cacerts", null, null, () -> none, 404,
                        "Unknown EST operation", null, null),
                new Case("trailing slash is no redirect", "GET", "cacerts/", null, null, () -> none, 404,
                        "Unknown EST", null, null),
                new Case("fullcmc not offered", "POST", "fullcmc", PKCS10, AUTH, () -> none, 404,
                        "not supported", null, null),
                new Case("serverkeygen not offered", "POST", "serverkeygen", PKCS10, AUTH, () -> none, 404,
                        "not supported", null, null),
                new Case("GET simpleenroll", "GET", "simpleenroll", null, null, () -> none, 405,
                        "Method not allowed", "Allow", "POST"),
                new Case("POST cacerts", "POST", "cacerts", PKCS10, null, () -> "x".getBytes(), 405,
                        "Method not allowed", "Allow", "GET"),
                new Case("PUT csrattrs", "PUT", "csrattrs", PKCS10, null, () -> "x".getBytes(), 405,
                        "Method not allowed", "Allow", "GET"),
                new Case("wrong media type", "POST", "simpleenroll", "text/plain", AUTH,
                        () -> csr(TestPki.ec256(), "CN=media", null), 415, "application/pkcs10", null, null),
                new Case("form media type (curl default)", "POST", "simpleenroll",
                        "application/x-www-form-urlencoded", AUTH, () -> csr(TestPki.ec256(), "CN=form", null), 415,
                        "application/pkcs10", null, null),
                new Case("missing media type", "POST", "simpleenroll", null, AUTH,
                        () -> csr(TestPki.ec256(), "CN=none", null), 415, "got none", null, null),
                new Case("declared body over the cap", "POST", "simpleenroll", PKCS10, AUTH,
                        () -> new byte[70_000], 413, "too large", null, null),
                new Case("empty body", "POST", "simpleenroll", PKCS10, AUTH, () -> none, 400, "empty", null, null),
                new Case("not base64", "POST", "simpleenroll", PKCS10, AUTH,
                        () -> "this is not base64!".getBytes(StandardCharsets.US_ASCII), 400, "not valid base64",
                        null, null),
                new Case("truncated base64", "POST", "simpleenroll", PKCS10, AUTH,
                        () -> Arrays.copyOf(csr(TestPki.ec256(), "CN=t", null), 41), 400, "", null, null),
                new Case("base64 of garbage", "POST", "simpleenroll", PKCS10, AUTH,
                        () -> b64("hello world, not DER".getBytes(StandardCharsets.US_ASCII)), 400,
                        "not a valid PKCS#10", null, null),
                new Case("raw DER that is not a CSR", "POST", "simpleenroll", PKCS10, AUTH,
                        () -> new byte[] {0x30, 0x03, 0x02, 0x01, 0x05}, 400, "not a valid PKCS#10", null, null),
                new Case("PEM that is not a CSR", "POST", "simpleenroll", PKCS10, AUTH,
                        () -> "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"
                                .getBytes(StandardCharsets.US_ASCII), 400, "PKCS#10", null, null),
                new Case("deeply nested DER", "POST", "simpleenroll", PKCS10, AUTH, EstErrorsIT::nested, 400,
                        "PKCS#10", null, null),
                new Case("bad CSR signature", "POST", "simpleenroll", PKCS10, AUTH, EstErrorsIT::badSignature,
                        400, "proof of possession failed", null, null),
                new Case("RSA 1024", "POST", "simpleenroll", PKCS10, AUTH,
                        () -> csr(TestPki.rsa(1024), "CN=weak", null), 400, "RSA 1024 bits", null, null),
                new Case("EC secp256k1", "POST", "simpleenroll", PKCS10, AUTH,
                        () -> csr(TestPki.ec("secp256k1"), "CN=k1", null), 400, "EC curve not allowed", null, null),
                new Case("CA:true requested", "POST", "simpleenroll", PKCS10, AUTH,
                        () -> csr(TestPki.ec256(), "CN=wants-ca",
                                extension(Extension.basicConstraints, new BasicConstraints(true))), 400,
                        "basicConstraints CA:true", null, null),
                new Case("keyCertSign requested", "POST", "simpleenroll", PKCS10, AUTH,
                        () -> csr(TestPki.ec256(), "CN=wants-sign",
                                extension(Extension.keyUsage, new KeyUsage(KeyUsage.keyCertSign))), 400,
                        "keyCertSign", null, null),
                new Case("10,000-character subject", "POST", "simpleenroll", PKCS10, AUTH,
                        () -> csr(TestPki.ec256(), "CN=long" + (",OU=" + "a".repeat(46)).repeat(200), null), 400,
                        "subject is not acceptable", null, null),
                new Case("no credentials", "POST", "simpleenroll", PKCS10, null,
                        () -> csr(TestPki.ec256(), "CN=anon", null), 401, "", "WWW-Authenticate",
                        "Basic realm=\"est\", charset=\"UTF-8\""),
                new Case("wrong password", "POST", "simpleenroll", PKCS10,
                        EstHttp.basic(EstTestServer.USER, "wrong"), () -> csr(TestPki.ec256(), "CN=wrongpw", null),
                        401, "", "WWW-Authenticate", "Basic realm=\"est\", charset=\"UTF-8\""),
                new Case("unknown user", "POST", "simpleenroll", PKCS10, EstHttp.basic("nobody", "x"),
                        () -> csr(TestPki.ec256(), "CN=nobody", null), 401, "", "WWW-Authenticate",
                        "Basic realm=\"est\", charset=\"UTF-8\""),
                new Case("malformed Basic header", "POST", "simpleenroll", PKCS10, "Basic %%%",
                        () -> csr(TestPki.ec256(), "CN=malformed", null), 401, "", null, null),
                new Case("user without the enroll role", "POST", "simpleenroll", PKCS10,
                        EstHttp.basic(EstTestServer.OTHER_USER, EstTestServer.OTHER_PASSWORD),
                        () -> csr(TestPki.ec256(), "CN=viewer", null), 403, "lacks role est-client", null, null),
                new Case("reenroll without client certificate", "POST", "simplereenroll", PKCS10, AUTH,
                        () -> csr(TestPki.ec256(), "CN=noclientcert", null), 403,
                        "TLS client certificate issued by this CA is required", null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersWithStatusAndReason(Case c) throws Exception {
        long before = certificateCount();
        byte[] body = c.body().get();
        HttpRequest.Builder request = HttpRequest.newBuilder(server.est(c.path()))
                .method(c.method(), body.length == 0 && !c.method().equals("POST")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        if (c.auth() != null) {
            request.header("Authorization", c.auth());
        }
        HttpResponse<byte[]> response = client.send(request.build());
        String text = EstHttp.text(response);

        assertThat(response.statusCode()).as(text).isEqualTo(c.status());
        if (c.status() == 401) {
            assertThat(response.body()).as("401 has an empty body (Bouncy Castle client compatibility)").isEmpty();
            assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        } else {
            assertThat(response.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase())
                    .isEqualTo("text/plain;charset=utf-8");
            assertThat(text).endsWith("\n").doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(text.strip().lines().count()).isEqualTo(1);
            assertThat(text).contains(c.reason());
        }
        if (c.header() != null) {
            assertThat(response.headers().firstValue(c.header())).hasValue(c.headerValue());
        }
        assertThat(certificateCount()).as("nothing recorded").isEqualTo(before);
    }

    static byte[] nested() {
        // 20,000 nested SEQUENCEs in indefinite-length form: 40 KB, under the cap, deep enough to overflow a
        // naive recursive parser.
        int depth = 20_000;
        byte[] der = new byte[depth * 2];
        for (int i = 0; i < depth; i++) {
            der[2 * i] = 0x30;
            der[2 * i + 1] = (byte) 0x80;
        }
        return b64(der);
    }

    @Test
    void chunkedBodyOverTheCapIsRefusedWithoutBufferingIt() throws Exception {
        long before = certificateCount();
        Supplier<InputStream> large = () -> new ByteArrayInputStream(new byte[5 * 1024 * 1024]);
        HttpResponse<byte[]> response;
        try {
            response = client.send(HttpRequest.newBuilder(server.est("simpleenroll"))
                    .header("Content-Type", PKCS10).header("Authorization", AUTH)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(large)).build());
        } catch (java.io.IOException e) {
            // The server may close the connection before the client finished sending 5 MB; that is a refusal too.
            assertThat(certificateCount()).isEqualTo(before);
            return;
        }
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(EstHttp.text(response)).contains("too large");
        assertThat(certificateCount()).isEqualTo(before);
    }

    @Test
    void bodySlightlyOverTheCapGetsIts413EveryTime() throws Exception {
        // Answering while request bytes are unread makes the server's close a reset, and a reset can destroy the
        // 413 before the client reads it ("header parser received no bytes"). The server reads (and discards) a
        // body of up to a megabyte first, so the client always sees its answer.
        long before = certificateCount();
        byte[] body = new byte[70_000];
        for (int i = 0; i < 40; i++) {
            boolean declared = i % 2 == 0;
            HttpRequest.BodyPublisher publisher = declared ? HttpRequest.BodyPublishers.ofByteArray(body)
                    : HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(server.est("simpleenroll"))
                    .header("Content-Type", PKCS10).header("Authorization", AUTH).POST(publisher).build());
            assertThat(response.statusCode()).as("request %d, declared length %s", i, declared).isEqualTo(413);
            assertThat(EstHttp.text(response)).contains("too large");
        }
        assertThat(certificateCount()).isEqualTo(before);
    }

    @Test
    void plainHttpIsRefusedNeverRedirected() throws Exception {
        HttpResponse<byte[]> response = java.net.http.HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.plainEst("cacerts")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(EstHttp.text(response)).isEqualTo("EST requires HTTPS\n");
    }

    @Test
    void deviceCertificateCannotEnrollOrRenewAnotherSubject() throws Exception {
        KeyPair keys = TestPki.ec256();
        X509Certificate device = enroll(keys, "CN=pump-a");
        EstHttp asDevice = new EstHttp(server.pki(), TestPki.keyStore(keys.getPrivate(), device,
                server.pki().caCertificate()));
        long before = certificateCount();

        HttpResponse<byte[]> enroll = asDevice.post(server.est("simpleenroll"), PKCS10, null,
                csr(TestPki.ec256(), "CN=pump-b", null));
        assertThat(enroll.statusCode()).isEqualTo(403);
        assertThat(EstHttp.text(enroll)).contains("may only enroll its own subject");

        HttpResponse<byte[]> renew = asDevice.post(server.est("simplereenroll"), PKCS10, null,
                csr(TestPki.ec256(), "CN=pump-b", null));
        assertThat(renew.statusCode()).isEqualTo(403);
        assertThat(EstHttp.text(renew)).contains("must equal those of the client certificate");

        HttpResponse<byte[]> sanAdded = asDevice.post(server.est("simplereenroll"), PKCS10, null,
                csr(TestPki.ec256(), "CN=pump-a", TestPki.san("pump-a.example")));
        assertThat(sanAdded.statusCode()).isEqualTo(403);
        assertThat(certificateCount()).isEqualTo(before);
    }

    @Test
    void certificateFromAnotherCaTrustedByTheContainerCannotRenew() throws Exception {
        // The RA/manufacturer case: a certificate the container trusts, but not issued by our CA, is not renewable.
        TestPki other = TestPki.create("Other CA");
        KeyPair keys = TestPki.ec256();
        X509Certificate foreign = other.issueClient(keys, "CN=foreign",
                org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth);
        EstHttp asForeign = new EstHttp(server.pki(), TestPki.keyStore(keys.getPrivate(), foreign));
        try {
            HttpResponse<byte[]> response = asForeign.post(server.est("simplereenroll"), PKCS10, null,
                    csr(TestPki.ec256(), "CN=foreign", null));
            // The JDK client leaves out a certificate the server did not ask for, so the server sees none.
            assertThat(response.statusCode()).isEqualTo(403);
        } catch (javax.net.ssl.SSLHandshakeException e) {
            assertThat(e.getMessage()).isNotBlank(); // or the container refuses the unknown issuer outright
        }
    }

    @Test
    void databaseOutageIsA503WithAReferenceAndNoCertificate() throws Exception {
        TestPki pki = TestPki.create("Outage CA");
        Path outageHome = home.resolve("outage");
        try (EstTestServer outage = EstTestServer.start(outageHome, pki, Map.of("database.pool-size", "1"))) {
            EstHttp http = new EstHttp(pki, null);
            assertThat(http.post(outage.est("simpleenroll"), PKCS10, AUTH, csr(TestPki.ec256(), "CN=up", null))
                    .statusCode()).isEqualTo(200);
            try (Connection connection = DriverManager.getConnection(outage.jdbcUrl(), "SA", "");
                 Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            }
            HttpResponse<byte[]> response = http.post(outage.est("simpleenroll"), PKCS10, AUTH,
                    csr(TestPki.ec256(), "CN=down", null));
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("60");
            String id = response.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(EstHttp.text(response)).contains("unavailable").contains("(reference " + id + ")");
            assertThat(response.body()).doesNotContain("MII".getBytes(StandardCharsets.US_ASCII));
        }
    }

    static X509Certificate enroll(KeyPair keys, String subject) throws Exception {
        HttpResponse<byte[]> response = client.post(server.est("simpleenroll"), PKCS10, AUTH, csr(keys, subject, null));
        assertThat(response.statusCode()).isEqualTo(200);
        return TestPki.parseCertificates(Base64.getMimeDecoder().decode(response.body())).get(0);
    }

    static long certificateCount() throws Exception {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "SA", "");
             Statement statement = connection.createStatement();
             ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM certificate")) {
            count.next();
            return count.getLong(1);
        }
    }

}
