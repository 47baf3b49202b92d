package org.openest.est.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openest.est.ca.DevPki;
import org.openest.est.testing.EstHttp;
import org.openest.est.testing.EstTestServer;
import org.openest.est.testing.LogHygiene;
import org.openest.est.testing.TestPki;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Operating the fleet over real TLS: the admin API with role checks, revocation seen by {@code openssl crl} and
 * {@code openssl ocsp} (clients no one here wrote), renewal refused after revocation, device deletion, expiry views.
 */
class FleetIT {
    static final String PKCS10 = "application/pkcs10";
    static final String ADMIN = EstHttp.basic(EstTestServer.ADMIN, EstTestServer.ADMIN_PASSWORD);
    static final String USER = EstHttp.basic(EstTestServer.USER, EstTestServer.PASSWORD);
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path home;
    static EstTestServer server;
    static TestPki pki;
    static EstHttp http;
    static Path caPem;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create("Fleet CA");
        server = EstTestServer.start(home, pki, Map.of("revocation.base-url", "http://est.test:8080",
                "expiry.window-days", "45", "issuance.validity-days", "30"));
        http = new EstHttp(pki, null);
        caPem = home.resolve("fleet-ca.pem");
        Files.writeString(caPem, DevPki.pem(pki.caCertificate()));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        LogHygiene.assertNoSecrets();
    }

    static X509Certificate enroll(KeyPair keys, String subject) throws Exception {
        HttpResponse<byte[]> response = http.post(server.est("simpleenroll"), PKCS10, USER,
                Base64.getEncoder().encode(TestPki.csr(keys, subject).getEncoded()));
        assertThat(response.statusCode()).isEqualTo(200);
        return TestPki.parseCertificates(Base64.getMimeDecoder().decode(response.body())).get(0);
    }

    static HttpResponse<byte[]> api(String method, String path, String auth, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.api(path)).header("Authorization", auth);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build());
    }

    static String serial(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16).toUpperCase();
    }

    static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    static String ocspUrl() {
        return server.plainEst("x").toString().replace("/.well-known/est/x", "/ocsp");
    }

    static URI crlUri() {
        return URI.create(server.plainEst("x").toString().replace("/.well-known/est/x", "/crl/default.crl"));
    }

    @Test
    void revokedCertificateIsInTheCrlAndOcspSaysRevokedAndItCannotRenew() throws Exception {
        KeyPair keys = TestPki.ec256();
        X509Certificate lost = enroll(keys, "CN=pump-lost");
        X509Certificate kept = enroll(TestPki.ec256(), "CN=pump-kept");
        assertThat(new String(lost.getExtensionValue("2.5.29.31"), StandardCharsets.ISO_8859_1))
                .contains("http://est.test:8080/crl/default.crl");
        assertThat(new String(lost.getExtensionValue("1.3.6.1.5.5.7.1.1"), StandardCharsets.ISO_8859_1))
                .contains("http://est.test:8080/ocsp");

        Path lostPem = home.resolve("lost.pem");
        Files.writeString(lostPem, DevPki.pem(lost));
        Path keptPem = home.resolve("kept.pem");
        Files.writeString(keptPem, DevPki.pem(kept));
        assertThat(run("openssl", "ocsp", "-issuer", caPem.toString(), "-cert", lostPem.toString(), "-url",
                ocspUrl(), "-CAfile", caPem.toString())).contains(lostPem + ": good").contains("Response verify OK");

        HttpResponse<byte[]> revoke = api("POST", "certificates/" + serial(lost) + "/revoke", ADMIN,
                "{\"reason\":\"keyCompromise\"}");
        assertThat(revoke.statusCode()).as(EstHttp.text(revoke)).isEqualTo(200);
        assertThat(api("POST", "certificates/" + serial(lost) + "/revoke", ADMIN, "{}").statusCode())
                .isEqualTo(409);

        String ocsp = run("openssl", "ocsp", "-issuer", caPem.toString(), "-cert", lostPem.toString(),
                "-cert", keptPem.toString(), "-url", ocspUrl(), "-CAfile", caPem.toString());
        assertThat(ocsp).contains(lostPem + ": revoked").contains("Reason: keyCompromise")
                .contains(keptPem + ": good").contains("Response verify OK");

        HttpResponse<byte[]> crl = HttpClient.newHttpClient().send(HttpRequest.newBuilder(crlUri()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(crl.statusCode()).isEqualTo(200);
        assertThat(crl.headers().firstValue("Content-Type")).hasValue("application/pkix-crl");
        Path crlFile = home.resolve("default.crl");
        Files.write(crlFile, crl.body());
        String crlText = run("openssl", "crl", "-inform", "DER", "-in", crlFile.toString(), "-CAfile",
                caPem.toString(), "-noout", "-text");
        assertThat(crlText).contains("verify OK").contains("Serial Number: " + serial(lost))
                .doesNotContain("Serial Number: " + serial(kept)).contains("Key Compromise");
        X509CRL parsed = (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new java.io.ByteArrayInputStream(crl.body()));
        parsed.verify(pki.caCertificate().getPublicKey());
        assertThat(parsed.isRevoked(lost)).isTrue();
        assertThat(parsed.isRevoked(kept)).isFalse();

        EstHttp revokedClient = new EstHttp(pki, TestPki.keyStore(keys.getPrivate(), lost, pki.caCertificate()));
        byte[] newCsr = Base64.getEncoder().encode(TestPki.csr(TestPki.ec256(), "CN=pump-lost").getEncoded());
        HttpResponse<byte[]> renew = revokedClient.post(server.est("simplereenroll"), PKCS10, null, newCsr);
        assertThat(renew.statusCode()).isEqualTo(403);
        assertThat(EstHttp.text(renew)).contains("revoked");
        // Nor through simpleenroll, where a device certificate may enroll its own subject.
        HttpResponse<byte[]> again = revokedClient.post(server.est("simpleenroll"), PKCS10, null, newCsr);
        assertThat(again.statusCode()).as(EstHttp.text(again)).isEqualTo(403);
        assertThat(EstHttp.text(again)).contains("revoked");
    }

    @Test
    void adminApiRequiresTheAdminRole() throws Exception {
        assertThat(api("GET", "devices", USER, null).statusCode()).isEqualTo(403);
        assertThat(api("GET", "summary", EstHttp.basic(EstTestServer.OTHER_USER, EstTestServer.OTHER_PASSWORD),
                null).statusCode()).isEqualTo(403);
        assertThat(http.send(HttpRequest.newBuilder(server.api("devices")).build()).statusCode()).isEqualTo(401);
        X509Certificate device = enroll(TestPki.ec256(), "CN=pump-role");
        EstHttp asDevice = new EstHttp(pki, null);
        assertThat(asDevice.send(HttpRequest.newBuilder(server.api("devices")).header("Authorization", USER)
                .build()).statusCode()).isEqualTo(403);
        // a cross-site form cannot revoke
        assertThat(http.send(HttpRequest.newBuilder(server.api("certificates/" + serial(device) + "/revoke"))
                .header("Authorization", ADMIN).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("reason=keyCompromise")).build()).statusCode())
                .isEqualTo(415);
        assertThat(http.send(HttpRequest.newBuilder(server.api("certificates/" + serial(device) + "/revoke"))
                .header("Authorization", ADMIN).header("Content-Type", "application/json")
                .header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.ofString("{}")).build())
                .statusCode()).isEqualTo(403);
    }

    @Test
    void devicesListFiltersPagesAndShowsHistory() throws Exception {
        List<X509Certificate> fleet = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fleet.add(enroll(TestPki.ec256(), "CN=ward7-pump-" + i));
        }
        String page = EstHttp.text(api("GET", "devices?q=WARD7&size=2&page=1", ADMIN, null));
        assertThat(page).contains("\"total\":5").contains("\"size\":2").contains("\"page\":1");
        assertThat(page.split("\"subject\"").length - 1).isEqualTo(2);
        // 30-day certificates inside a 45-day window: all expiring soon
        String soon = EstHttp.text(api("GET", "devices?q=ward7&expiringWithinDays=45", ADMIN, null));
        assertThat(soon).contains("\"total\":5").contains("\"expiringSoon\":true");
        assertThat(EstHttp.text(api("GET", "devices?q=ward7&expiringWithinDays=10", ADMIN, null)))
                .contains("\"total\":0");
        assertThat(api("GET", "devices?status=bogus", ADMIN, null).statusCode()).isEqualTo(400);

        String summary = EstHttp.text(api("GET", "summary", ADMIN, null));
        assertThat(summary).contains("\"windowDays\":45").contains("\"expiriesPerWeek\":[");

        long id = Long.parseLong(page.replaceAll("(?s).*?\"id\":(\\d+).*", "$1"));
        HttpResponse<byte[]> device = api("GET", "devices/" + id, ADMIN, null);
        assertThat(device.statusCode()).isEqualTo(200);
        assertThat(EstHttp.text(device)).contains("\"certificates\":[").contains("BEGIN CERTIFICATE");
    }

    static JsonNode json(HttpResponse<byte[]> response) throws Exception {
        assertThat(response.statusCode()).as(EstHttp.text(response)).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.path("devices").forEach(device -> ids.add(device.path("id").asLong()));
        return ids;
    }

    @Test
    void devicesListPagesByKeysetCursor() throws Exception {
        List<X509Certificate> bay = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            bay.add(enroll(TestPki.ec256(), "CN=bay9-pump-" + i));
        }
        JsonNode first = json(api("GET", "devices?q=bay9&size=2", ADMIN, null));
        assertThat(first.path("total").asLong()).isEqualTo(5);
        assertThat(first.path("page").asInt()).isZero();
        assertThat(first.path("after").isNull()).isTrue();
        assertThat(ids(first)).hasSize(2);
        assertThat(first.path("next").asLong()).isEqualTo(ids(first).get(1));

        JsonNode second = json(api("GET", "devices?q=bay9&size=2&after=" + first.path("next").asLong(), ADMIN, null));
        assertThat(second.path("total").asLong()).isEqualTo(5);
        assertThat(second.path("page").isNull()).isTrue();
        assertThat(second.path("after").asLong()).isEqualTo(first.path("next").asLong());
        assertThat(ids(second)).hasSize(2).allSatisfy(id -> assertThat(id).isGreaterThan(first.path("next").asLong()));
        JsonNode last = json(api("GET", "devices?q=bay9&size=2&count=false&after=" + second.path("next").asLong(),
                ADMIN, null));
        assertThat(ids(last)).hasSize(1);
        assertThat(last.has("next")).isTrue();
        assertThat(last.path("next").isNull()).isTrue();
        assertThat(last.has("total")).isTrue();
        assertThat(last.path("total").isNull()).as("count=false").isTrue();
        List<Long> walked = new ArrayList<>(ids(first));
        walked.addAll(ids(second));
        walked.addAll(ids(last));
        assertThat(walked).isSorted().doesNotHaveDuplicates().hasSize(5);
        List<String> subjects = new ArrayList<>();
        for (JsonNode page : List.of(first, second, last)) {
            page.path("devices").forEach(device -> subjects.add(device.path("subject").asString()));
        }
        assertThat(subjects).containsExactly("CN=bay9-pump-0", "CN=bay9-pump-1", "CN=bay9-pump-2", "CN=bay9-pump-3",
                "CN=bay9-pump-4");
        // the OFFSET pages are the same pages
        assertThat(ids(json(api("GET", "devices?q=bay9&size=2&page=1", ADMIN, null)))).isEqualTo(ids(second));

        // a filter on the current certificate, with the cursor
        assertThat(api("POST", "certificates/" + serial(bay.get(1)) + "/revoke", ADMIN, "{}").statusCode())
                .isEqualTo(200);
        JsonNode valid = json(api("GET", "devices?q=bay9&status=valid&size=3", ADMIN, null));
        assertThat(valid.path("total").asLong()).isEqualTo(4);
        JsonNode validRest = json(api("GET", "devices?q=bay9&status=valid&size=3&after=" + valid.path("next").asLong(),
                ADMIN, null));
        assertThat(validRest.path("total").asLong()).isEqualTo(4);
        assertThat(validRest.path("next").isNull()).isTrue();
        List<Long> validIds = new ArrayList<>(ids(valid));
        validIds.addAll(ids(validRest));
        assertThat(validIds).hasSize(4).doesNotContain(walked.get(1)).containsAll(List.of(walked.get(0),
                walked.get(2), walked.get(3), walked.get(4)));
        JsonNode revoked = json(api("GET", "devices?q=bay9&status=revoked&after=" + walked.get(0), ADMIN, null));
        assertThat(ids(revoked)).containsExactly(walked.get(1));
        assertThat(revoked.path("total").asLong()).isEqualTo(1);
        assertThat(ids(json(api("GET", "devices?q=bay9&status=revoked&after=" + walked.get(1), ADMIN, null))))
                .isEmpty();

        // without filters: the whole registry, counted on every page
        JsonNode all = json(api("GET", "devices?size=1", ADMIN, null));
        assertThat(all.path("total").asLong()).isGreaterThanOrEqualTo(5);
        JsonNode allNext = json(api("GET", "devices?size=1&after=" + all.path("next").asLong(), ADMIN, null));
        assertThat(allNext.path("total").asLong()).isEqualTo(all.path("total").asLong());

        assertThat(api("GET", "devices?page=1&after=3", ADMIN, null).statusCode()).isEqualTo(400);
        assertThat(api("GET", "devices?after=abc", ADMIN, null).statusCode()).isEqualTo(400);
        assertThat(api("GET", "devices?after=-1", ADMIN, null).statusCode()).isEqualTo(400);
        assertThat(api("GET", "devices?count=maybe", ADMIN, null).statusCode()).isEqualTo(400);
    }

    @Test
    void deletingADeviceRevokesItsCertificatesAndKeepsTheRecord() throws Exception {
        KeyPair keys = TestPki.ec256();
        X509Certificate first = enroll(keys, "CN=pump-retired");
        X509Certificate second = enroll(TestPki.ec256(), "CN=pump-retired");
        String list = EstHttp.text(api("GET", "devices?q=pump-retired", ADMIN, null));
        long id = Long.parseLong(list.replaceAll("(?s).*?\"id\":(\\d+).*", "$1"));
        HttpResponse<byte[]> delete = api("DELETE", "devices/" + id, ADMIN, null);
        assertThat(EstHttp.text(delete)).contains("\"revokedCertificates\":2");
        assertThat(api("DELETE", "devices/" + id, ADMIN, null).statusCode()).isEqualTo(404);
        String after = EstHttp.text(api("GET", "devices/" + id, ADMIN, null));
        assertThat(after).contains("\"status\":\"DELETED\"").contains("cessationOfOperation");
        assertThat(EstHttp.text(api("GET", "devices?status=deleted&q=pump-retired", ADMIN, null)))
                .contains("\"total\":1");
        HttpResponse<byte[]> crl = HttpClient.newHttpClient().send(HttpRequest.newBuilder(crlUri()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        X509CRL parsed = (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new java.io.ByteArrayInputStream(crl.body()));
        assertThat(parsed.isRevoked(first)).isTrue();
        assertThat(parsed.isRevoked(second)).isTrue();
    }

    @Test
    void ocspAnswersUnknownForForeignSerialsAndMalformedForGarbage() throws Exception {
        TestPki other = TestPki.create("Other CA");
        X509Certificate foreign = other.issueClient(TestPki.ec256(), "CN=foreign",
                org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth);
        Path foreignPem = home.resolve("foreign.pem");
        Files.writeString(foreignPem, DevPki.pem(foreign));
        // same issuer name and key hash check fails -> unauthorized; our issuer with an unknown serial -> unknown
        String unknown = run("openssl", "ocsp", "-issuer", caPem.toString(), "-serial", "0x1234", "-url", ocspUrl(),
                "-CAfile", caPem.toString());
        assertThat(unknown).contains("0x1234: unknown");
        HttpResponse<byte[]> garbage = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ocspUrl()))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray("garbage".getBytes(StandardCharsets.US_ASCII))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(garbage.statusCode()).isEqualTo(200);
        assertThat(new org.bouncycastle.cert.ocsp.OCSPResp(garbage.body()).getStatus())
                .isEqualTo(org.bouncycastle.cert.ocsp.OCSPRespBuilder.MALFORMED_REQUEST);
        assertThat(Files.exists(foreignPem)).isTrue();
    }

    @Test
    void oversizedOcspAndAdminBodiesAreRefusedWithAnAnswerEveryTime() throws Exception {
        // The server reads (and discards) a refused body of up to a megabyte before answering: closing a socket with
        // request bytes unread resets it, and the reset can destroy the answer before the client reads it.
        byte[] body = new byte[40_000];
        HttpClient plain = HttpClient.newHttpClient();
        for (int i = 0; i < 40; i++) {
            boolean declared = i % 2 == 0;
            HttpRequest.BodyPublisher publisher = declared ? HttpRequest.BodyPublishers.ofByteArray(body)
                    : HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body));
            HttpResponse<byte[]> ocsp = plain.send(HttpRequest.newBuilder(URI.create(ocspUrl()))
                    .header("Content-Type", "application/ocsp-request").POST(publisher).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(ocsp.statusCode()).as("OCSP request %d, declared length %s", i, declared).isEqualTo(413);

            HttpResponse<byte[]> admin = http.send(HttpRequest.newBuilder(server.api("certificates/01/revoke"))
                    .header("Authorization", ADMIN).header("Content-Type", "application/json")
                    .POST(declared ? HttpRequest.BodyPublishers.ofByteArray(body)
                            : HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                    .build());
            assertThat(admin.statusCode()).as("admin request %d, declared length %s", i, declared).isEqualTo(400);
            assertThat(new String(admin.body(), StandardCharsets.UTF_8)).contains("too large");
        }
    }
}
