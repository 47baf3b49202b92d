package org.openest.est.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openest.est.testing.EstHttp;
import org.openest.est.testing.EstTestServer;
import org.openest.est.testing.PostgresTestDatabase;
import org.openest.est.testing.TestPki;

/**
 * Two server nodes (two webapps, two connection pools) on one PostgreSQL database, as behind a load balancer: the
 * duplicate policy holds across nodes under concurrency (database constraints, not in-memory locks), a revocation
 * on one node is seen by the other at once (OCSP, CRL, renewal), and no serial is issued twice.
 *
 * <p>Runs in the {@code postgres} Maven profile that {@code .ci/run} enables after making sure PostgreSQL runs
 * (URL from {@code EST_TEST_POSTGRES_URL}, default {@code jdbc:postgresql://127.0.0.1:5432/test?user=root}). It
 * fails, loudly, if PostgreSQL cannot be reached: it is never skipped silently.
 */
class MultiNodePostgresIT {
    static final String PKCS10 = "application/pkcs10";
    static final String USER = EstHttp.basic(EstTestServer.USER, EstTestServer.PASSWORD);
    static final String ADMIN = EstHttp.basic(EstTestServer.ADMIN, EstTestServer.ADMIN_PASSWORD);

    @TempDir
    static Path home;
    static PostgresTestDatabase database;
    static EstTestServer nodeA;
    static EstTestServer nodeB;
    static TestPki pki;
    static EstHttp http;

    @BeforeAll
    static void start() throws Exception {
        database = PostgresTestDatabase.create("est_nodes_");
        String url = database.url();
        pki = TestPki.create("Shared CA");
        Map<String, String> config = new HashMap<>(Map.of("database.url", url, "database.user", "",
                "database.pool-size", "8", "profiles", "unique", "profile.unique.label", "unique",
                "profile.unique.enroll.duplicate", "reject"));
        config.put("database.jndi-name", "");
        nodeA = EstTestServer.start(home.resolve("a"), pki, config);
        nodeB = EstTestServer.start(home.resolve("b"), pki, config);
        http = new EstHttp(pki, null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (nodeA != null) {
            nodeA.close();
        }
        if (nodeB != null) {
            nodeB.close();
        }
        if (database != null) {
            database.close();
        }
    }

    static byte[] csr(KeyPair keys, String subject) throws Exception {
        return Base64.getEncoder().encode(TestPki.csr(keys, subject).getEncoded());
    }

    static X509Certificate certificateOf(HttpResponse<byte[]> response) {
        return TestPki.parseCertificates(Base64.getMimeDecoder().decode(response.body())).get(0);
    }

    @Test
    void concurrentEnrollmentsOfOneSubjectOnBothNodesObeyTheDuplicatePolicy() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                EstTestServer node = i % 2 == 0 ? nodeA : nodeB;
                Callable<Integer> enroll = () -> http.post(node.est("unique/simpleenroll"), PKCS10, USER,
                        csr(TestPki.ec256(), "CN=pump-race")).statusCode();
                results.add(pool.submit(enroll));
            }
            int ok = 0;
            int conflict = 0;
            for (Future<Integer> result : results) {
                int status = result.get();
                if (status == 200) {
                    ok++;
                } else if (status == 409) {
                    conflict++;
                }
            }
            assertThat(ok).as("exactly one certificate for the subject").isEqualTo(1);
            assertThat(conflict).isEqualTo(15);
        } finally {
            pool.shutdown();
        }
        assertThat(count("SELECT COUNT(*) FROM certificate WHERE subject = 'CN=pump-race'")).isEqualTo(1);
    }

    @Test
    void revocationOnOneNodeIsSeenByTheOtherAtOnce() throws Exception {
        KeyPair keys = TestPki.ec256();
        X509Certificate device = certificateOf(http.post(nodeA.est("simpleenroll"), PKCS10, USER,
                csr(keys, "CN=pump-shared")));
        // warm node B's CRL cache before the revocation, so "at once" is really tested
        assertThat(crl(nodeB).isRevoked(device)).isFalse();

        HttpResponse<byte[]> revoke = http.send(HttpRequest.newBuilder(nodeA.api("certificates/"
                + device.getSerialNumber().toString(16).toUpperCase() + "/revoke")).header("Authorization", ADMIN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"keyCompromise\"}")).build());
        assertThat(revoke.statusCode()).isEqualTo(200);

        assertThat(crl(nodeB).isRevoked(device)).isTrue();
        assertThat(ocsp(nodeB, device).getResponses()[0].getCertStatus()).isInstanceOf(RevokedStatus.class);
        HttpResponse<byte[]> renew = new EstHttp(pki, TestPki.keyStore(keys.getPrivate(), device,
                pki.caCertificate())).post(nodeB.est("simplereenroll"), PKCS10, null, csr(TestPki.ec256(),
                "CN=pump-shared"));
        assertThat(renew.statusCode()).isEqualTo(403);
    }

    @Test
    void manyEnrollmentsAcrossNodesNeverRepeatASerial() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<byte[]>>> results = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                EstTestServer node = i % 2 == 0 ? nodeA : nodeB;
                String subject = "CN=serial-" + i;
                results.add(pool.submit(() -> http.post(node.est("simpleenroll"), PKCS10, USER,
                        csr(TestPki.ec256(), subject))));
            }
            for (Future<HttpResponse<byte[]>> result : results) {
                assertThat(result.get().statusCode()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(count("SELECT COUNT(*) FROM certificate WHERE subject LIKE 'CN=serial-%'")).isEqualTo(60);
        assertThat(count("SELECT COUNT(DISTINCT serial) FROM certificate")).isEqualTo(
                count("SELECT COUNT(*) FROM certificate"));
        // an RA certificate works on either node too
        KeyPair raKeys = TestPki.ec256();
        X509Certificate ra = pki.issueClient(raKeys, "CN=gateway", KeyPurposeId.id_kp_clientAuth,
                KeyPurposeId.id_kp_cmcRA);
        assertThat(new EstHttp(pki, TestPki.keyStore(raKeys.getPrivate(), ra, pki.caCertificate()))
                .post(nodeB.est("simpleenroll"), PKCS10, null, csr(TestPki.ec256(), "CN=via-ra")).statusCode())
                .isEqualTo(200);
    }

    static long count(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(database.url());
             Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    static X509CRL crl(EstTestServer node) throws Exception {
        URI uri = URI.create(node.plainEst("x").toString().replace("/.well-known/est/x", "/crl/default.crl"));
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new java.io.ByteArrayInputStream(response.body()));
    }

    static BasicOCSPResp ocsp(EstTestServer node, X509Certificate certificate) throws Exception {
        X509CertificateHolder issuer = new JcaX509CertificateHolder(pki.caCertificate());
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                .get(CertificateID.HASH_SHA1), issuer, certificate.getSerialNumber());
        byte[] request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
        URI uri = URI.create(node.plainEst("x").toString().replace("/.well-known/est/x", "/ocsp"));
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/ocsp-request").POST(HttpRequest.BodyPublishers
                        .ofByteArray(request)).build(), HttpResponse.BodyHandlers.ofByteArray());
        OCSPResp resp = new OCSPResp(response.body());
        assertThat(resp.getStatus()).isZero();
        return (BasicOCSPResp) resp.getResponseObject();
    }
}
