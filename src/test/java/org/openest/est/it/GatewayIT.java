package org.openest.est.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.est.ESTException;
import org.bouncycastle.est.ESTService;
import org.bouncycastle.est.EnrollmentResponse;
import org.bouncycastle.est.HttpAuth;
import org.bouncycastle.est.jcajce.JcaJceUtils;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openest.est.testing.EstHttp;
import org.openest.est.testing.EstTestServer;
import org.openest.est.testing.LogHygiene;
import org.openest.est.testing.TestPki;

/**
 * The infusion-pump gateway scenario over real TLS: an RA enrolls pumps on a DER label, pumps renew themselves on a
 * base64 label with Bouncy Castle's client, refusals are audited; plus manual approval, serverkeygen, /bootstrap,
 * per-client encoding and the duplicate policies.
 */
class GatewayIT {
    static final String PKCS10 = "application/pkcs10";
    static final int PUMPS = 50;

    @TempDir
    static Path home;
    static EstTestServer server;
    static TestPki pki;
    static KeyPair raKeys;
    static X509Certificate ra;

    @BeforeAll
    static void start() throws Exception {
        if (Security.getProvider("BC") == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
        pki = TestPki.create("Hospital Device CA");
        server = EstTestServer.start(home, pki, Map.ofEntries(
                Map.entry("profiles", "iqe, pumps, manual, keygen, unique, replace"),
                Map.entry("profile.iqe.label", "iqe"),
                Map.entry("profile.iqe.enroll.encoding", "der"),
                Map.entry("profile.iqe.enroll.bootstrap", "true"),
                Map.entry("profile.iqe.issuance.validity-days", "365"),
                Map.entry("profile.pumps.label", "pumps"),
                Map.entry("profile.manual.label", "manual"),
                Map.entry("profile.manual.enroll.approval", "manual"),
                Map.entry("profile.keygen.label", "keygen"),
                Map.entry("profile.keygen.serverkeygen.enabled", "true"),
                Map.entry("profile.unique.label", "unique"),
                Map.entry("profile.unique.enroll.duplicate", "reject"),
                Map.entry("profile.replace.label", "replace"),
                Map.entry("profile.replace.enroll.duplicate", "replace"),
                Map.entry("bootstrap.profile", "iqe"),
                Map.entry("encoding.clients", EstTestServer.GATEWAY + "=der")));
        raKeys = TestPki.ec256();
        ra = pki.issueClient(raKeys, "CN=IQE gateway,O=Hospital", KeyPurposeId.id_kp_clientAuth,
                KeyPurposeId.id_kp_cmcRA);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        LogHygiene.assertNoSecrets();
    }

    static EstHttp as(KeyPair keys, X509Certificate certificate) {
        return new EstHttp(pki, keys == null ? null : TestPki.keyStore(keys.getPrivate(), certificate,
                pki.caCertificate()));
    }

    static ESTService bc(String label, KeyPair keys, X509Certificate certificate) throws Exception {
        JsseESTServiceBuilder builder = new JsseESTServiceBuilder(server.authority(),
                JcaJceUtils.getCertPathTrustManager(Set.of(new TrustAnchor(pki.caCertificate(), null)), null));
        if (label != null) {
            builder.withLabel(label);
        }
        if (keys != null) {
            builder.withKeyManagers(JcaJceUtils.createKeyManagerFactory("PKIX", null,
                    TestPki.keyStore(keys.getPrivate(), certificate, pki.caCertificate()), TestPki.PASSWORD)
                    .getKeyManagers());
        }
        return builder.build();
    }

    static byte[] b64csr(KeyPair keys, String subject) throws Exception {
        return Base64.getEncoder().encode(TestPki.csr(keys, subject).getEncoded());
    }

    static X509Certificate only(EnrollmentResponse response) throws Exception {
        X509CertificateHolder[] holders = ESTService.storeToArray(response.getStore());
        assertThat(holders).hasSize(1);
        return new JcaX509CertificateConverter().getCertificate(holders[0]);
    }

    /** openssl, a client no one here wrote, must read the raw DER response. */
    static String opensslPrintCerts(byte[] der) throws Exception {
        Process process = new ProcessBuilder("openssl", "pkcs7", "-inform", "DER", "-print_certs", "-noout")
                .redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            in.write(der);
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void raEnrollsFiftyPumpsOnTheDerLabelAndThePumpsRenewThemselvesOnTheBase64Label() throws Exception {
        EstHttp gateway = as(raKeys, ra);
        List<KeyPair> keys = new ArrayList<>();
        List<X509Certificate> certificates = new ArrayList<>();
        for (int i = 0; i < PUMPS; i++) {
            KeyPair pumpKeys = TestPki.ec256();
            String cn = String.format("pump-%04d", i);
            HttpResponse<byte[]> response = gateway.post(server.est("iqe/simpleenroll"), PKCS10, null,
                    b64csr(pumpKeys, "O=Hospital,CN=" + cn));
            assertThat(response.statusCode()).as(EstHttp.text(response)).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValue("application/pkcs7-mime; smime-type=certs-only");
            assertThat(response.headers().firstValue("Content-Transfer-Encoding")).isEmpty();
            assertThat(response.body()[0]).as("raw DER, not base64").isEqualTo((byte) 0x30);
            assertThat(opensslPrintCerts(response.body())).contains("CN = " + cn).contains("Hospital Device CA");
            X509Certificate pump = TestPki.parseCertificates(response.body()).get(0);
            assertThat(pump.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_clientAuth.getId());
            assertThat((pump.getNotAfter().getTime() - System.currentTimeMillis()) / 86_400_000L).isBetween(364L, 365L);
            keys.add(pumpKeys);
            certificates.add(pump);
        }
        for (int i = 0; i < PUMPS; i++) {
            KeyPair newKeys = TestPki.ec256();
            X509Certificate renewed = only(bc("pumps", keys.get(i), certificates.get(i)).simpleEnroll(true,
                    TestPki.csr(newKeys, "O=Hospital,CN=" + String.format("pump-%04d", i)), null));
            assertThat(renewed.getSubjectX500Principal()).isEqualTo(certificates.get(i).getSubjectX500Principal());
            assertThat(renewed.getPublicKey()).isEqualTo(newKeys.getPublic());
        }
    }

    @Test
    void aPumpCertificateCannotEnrollOrRenewAnotherPumpAndTheRefusalIsAudited() throws Exception {
        KeyPair keys = TestPki.ec256();
        HttpResponse<byte[]> first = as(raKeys, ra).post(server.est("iqe/simpleenroll"), PKCS10, null,
                b64csr(keys, "CN=pump-rogue"));
        X509Certificate rogue = TestPki.parseCertificates(first.body()).get(0);
        EstHttp asPump = as(keys, rogue);
        for (String op : List.of("iqe/simpleenroll", "pumps/simplereenroll")) {
            HttpResponse<byte[]> response = asPump.post(server.est(op), PKCS10, null,
                    b64csr(TestPki.ec256(), "CN=pump-victim"));
            assertThat(response.statusCode()).as(op).isEqualTo(403);
        }
        String log = Files.readString(Path.of("target", "test-logs", "est-tests.log"));
        assertThat(log).contains("REFUSED op=simpleenroll label=iqe principal=\"CN=pump-rogue\"")
                .contains("REFUSED op=simplereenroll label=pumps principal=\"CN=pump-rogue\"");
    }

    @Test
    void raRenewsADeviceOnItsBehalf() throws Exception {
        KeyPair keys = TestPki.ec256();
        X509Certificate pump = TestPki.parseCertificates(as(raKeys, ra).post(server.est("iqe/simpleenroll"), PKCS10,
                null, b64csr(keys, "CN=pump-behalf")).body()).get(0);
        HttpResponse<byte[]> renewed = as(raKeys, ra).post(server.est("iqe/simplereenroll"), PKCS10, null,
                b64csr(TestPki.ec256(), "CN=pump-behalf"));
        assertThat(renewed.statusCode()).isEqualTo(200);
        X509Certificate next = TestPki.parseCertificates(renewed.body()).get(0);
        assertThat(next.getSubjectX500Principal()).isEqualTo(pump.getSubjectX500Principal());
        // an RA cannot "renew" a subject that has no certificate
        assertThat(as(raKeys, ra).post(server.est("iqe/simplereenroll"), PKCS10, null,
                b64csr(TestPki.ec256(), "CN=never-enrolled")).statusCode()).isEqualTo(403);
    }

    @Test
    void manualApprovalHoldsWith202ThenIssuesOnRetryOrRefusesAfterRejection() throws Exception {
        ESTService est = bc("manual", null, null);
        HttpAuth auth = new HttpAuth("est", EstTestServer.USER, EstTestServer.PASSWORD.toCharArray());
        KeyPair keys = TestPki.ec256();
        EnrollmentResponse held = est.simpleEnroll(false, TestPki.csr(keys, "CN=pump-approve"), auth);
        assertThat(held.isCompleted()).isFalse();
        assertThat(held.getNotBefore()).isGreaterThan(System.currentTimeMillis());

        EstHttp admin = new EstHttp(pki, null);
        String adminAuth = EstHttp.basic(EstTestServer.ADMIN, EstTestServer.ADMIN_PASSWORD);
        HttpResponse<byte[]> list = admin.send(HttpRequest.newBuilder(server.api("pending"))
                .header("Authorization", adminAuth).build());
        assertThat(list.statusCode()).isEqualTo(200);
        String json = EstHttp.text(list);
        assertThat(json).contains("\"subject\":\"CN=pump-approve\"").contains("\"requestedBy\":\"estuser\"");
        long id = Long.parseLong(json.replaceAll("(?s).*\"id\":(\\d+),\"profile\":\"manual\",\"subject\":"
                + "\"CN=pump-approve\".*", "$1"));

        // still pending on a second try
        assertThat(est.simpleEnroll(held).isCompleted()).isFalse();
        // CSRF guard: a form post is refused, and a non-admin cannot decide
        assertThat(admin.send(HttpRequest.newBuilder(server.api("pending/" + id + "/approve"))
                .header("Authorization", adminAuth).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("x=1")).build()).statusCode()).isEqualTo(415);
        assertThat(admin.send(HttpRequest.newBuilder(server.api("pending/" + id + "/approve"))
                .header("Authorization", EstHttp.basic(EstTestServer.USER, EstTestServer.PASSWORD))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build())
                .statusCode()).isEqualTo(403);
        HttpResponse<byte[]> approve = admin.send(HttpRequest.newBuilder(server.api("pending/" + id + "/approve"))
                .header("Authorization", adminAuth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(approve.statusCode()).as(EstHttp.text(approve)).isEqualTo(200);

        EnrollmentResponse done = est.simpleEnroll(held);
        assertThat(done.isCompleted()).isTrue();
        X509Certificate issued = only(done);
        assertThat(issued.getPublicKey()).isEqualTo(keys.getPublic());
        // a lost response: retrying the same CSR again returns the same certificate, not a second one
        assertThat(only(est.simpleEnroll(held)).getSerialNumber()).isEqualTo(issued.getSerialNumber());

        EnrollmentResponse other = est.simpleEnroll(false, TestPki.csr(TestPki.ec256(), "CN=pump-reject"), auth);
        assertThat(other.isCompleted()).isFalse();
        String again = EstHttp.text(admin.send(HttpRequest.newBuilder(server.api("pending"))
                .header("Authorization", adminAuth).build()));
        long rejectId = Long.parseLong(again.replaceAll("(?s).*\"id\":(\\d+),\"profile\":\"manual\",\"subject\":"
                + "\"CN=pump-reject\".*", "$1"));
        assertThat(admin.send(HttpRequest.newBuilder(server.api("pending/" + rejectId + "/reject"))
                .header("Authorization", adminAuth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()).statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> est.simpleEnroll(other)).isInstanceOfSatisfying(ESTException.class,
                e -> assertThat(e.getStatusCode()).isEqualTo(403));
    }

    @Test
    void serverkeygenReturnsAKeyThatMatchesItsCertificate() throws Exception {
        EnrollmentResponse response = bc("keygen", null, null).simpleEnrollWithServersideCreation(
                TestPki.csr(TestPki.ec256(), "CN=pump-keygen"),
                new HttpAuth("est", EstTestServer.USER, EstTestServer.PASSWORD.toCharArray()));
        X509Certificate certificate = only(response);
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(
                new PKCS8EncodedKeySpec(response.getPrivateKeyInfo().getEncoded()));
        java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update("proof".getBytes(StandardCharsets.US_ASCII));
        byte[] signature = signer.sign();
        signer.initVerify(certificate.getPublicKey());
        signer.update("proof".getBytes(StandardCharsets.US_ASCII));
        assertThat(signer.verify(signature)).isTrue();
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=pump-keygen");
        // not offered where the profile does not enable it
        assertThat(new EstHttp(pki, null).post(server.est("serverkeygen"), PKCS10,
                EstHttp.basic(EstTestServer.USER, EstTestServer.PASSWORD), b64csr(TestPki.ec256(), "CN=x"))
                .statusCode()).isEqualTo(404);
    }

    @Test
    void bootstrapTakesBasicAuthAndAnswersInTheBootstrapProfilesEncoding() throws Exception {
        EstHttp http = new EstHttp(pki, null);
        HttpResponse<byte[]> response = http.post(server.est("bootstrap"), PKCS10,
                EstHttp.basic(EstTestServer.USER, EstTestServer.PASSWORD), b64csr(TestPki.ec256(), "CN=pump-boot"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(opensslPrintCerts(response.body())).contains("CN = pump-boot");
        assertThat(http.post(server.est("bootstrap"), PKCS10, null, b64csr(TestPki.ec256(), "CN=pump-boot2"))
                .statusCode()).isEqualTo(401);
        // a client certificate alone is not enough for /bootstrap
        assertThat(as(raKeys, ra).post(server.est("bootstrap"), PKCS10, null, b64csr(TestPki.ec256(), "CN=b3"))
                .statusCode()).isEqualTo(401);
        assertThat(http.post(server.est("pumps/bootstrap"), PKCS10,
                EstHttp.basic(EstTestServer.USER, EstTestServer.PASSWORD), b64csr(TestPki.ec256(), "CN=b4"))
                .statusCode()).as("not enabled on that label").isEqualTo(404);
    }

    @Test
    void encodingFollowsTheProfileAndThePerClientOverrideForEveryOperation() throws Exception {
        EstHttp http = new EstHttp(pki, null);
        HttpResponse<byte[]> derCacerts = http.get(server.est("iqe/cacerts"));
        assertThat(derCacerts.headers().firstValue("Content-Transfer-Encoding")).isEmpty();
        assertThat(opensslPrintCerts(derCacerts.body())).contains("Hospital Device CA");
        HttpResponse<byte[]> b64Cacerts = http.get(server.est("cacerts"));
        assertThat(b64Cacerts.headers().firstValue("Content-Transfer-Encoding")).hasValue("base64");
        assertThat(TestPki.parseCertificates(Base64.getMimeDecoder().decode(b64Cacerts.body())))
                .containsExactly(pki.caCertificate());

        HttpResponse<byte[]> gateway = http.post(server.est("simpleenroll"), PKCS10,
                EstHttp.basic(EstTestServer.GATEWAY, EstTestServer.GATEWAY_PASSWORD),
                b64csr(TestPki.ec256(), "CN=pump-override"));
        assertThat(gateway.statusCode()).isEqualTo(200);
        assertThat(gateway.headers().firstValue("Content-Transfer-Encoding")).isEmpty();
        assertThat(opensslPrintCerts(gateway.body())).contains("CN = pump-override");
    }

    @Test
    void duplicatePolicyRejectsOrReplaces() throws Exception {
        EstHttp http = new EstHttp(pki, null);
        String auth = EstHttp.basic(EstTestServer.USER, EstTestServer.PASSWORD);
        assertThat(http.post(server.est("unique/simpleenroll"), PKCS10, auth, b64csr(TestPki.ec256(), "CN=dup-1"))
                .statusCode()).isEqualTo(200);
        HttpResponse<byte[]> second = http.post(server.est("unique/simpleenroll"), PKCS10, auth,
                b64csr(TestPki.ec256(), "CN=dup-1"));
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(EstHttp.text(second)).contains("already exists");

        KeyPair oldKeys = TestPki.ec256();
        X509Certificate old = TestPki.parseCertificates(Base64.getMimeDecoder().decode(http.post(
                server.est("replace/simpleenroll"), PKCS10, auth, b64csr(oldKeys, "CN=dup-2")).body())).get(0);
        assertThat(http.post(server.est("replace/simpleenroll"), PKCS10, auth, b64csr(TestPki.ec256(), "CN=dup-2"))
                .statusCode()).isEqualTo(200);
        // the replaced certificate is revoked: it can no longer renew
        HttpResponse<byte[]> renew = as(oldKeys, old).post(server.est("replace/simplereenroll"), PKCS10, null,
                b64csr(TestPki.ec256(), "CN=dup-2"));
        assertThat(renew.statusCode()).isEqualTo(403);
        assertThat(EstHttp.text(renew)).contains("revoked");
    }
}
