package org.openest.est.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.est.CACertsResponse;
import org.bouncycastle.est.ESTService;
import org.bouncycastle.est.EnrollmentResponse;
import org.bouncycastle.est.HttpAuth;
import org.bouncycastle.est.jcajce.JcaJceUtils;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openest.est.testing.EstHttp;
import org.openest.est.testing.EstTestServer;
import org.openest.est.testing.TestPki;

/**
 * The success paths of every EST operation over real TLS against the real webapp, with two independent clients:
 * Bouncy Castle's EST client and the JDK HttpClient.
 */
class EstOperationsIT {
    @TempDir
    static Path home;
    static EstTestServer server;
    static TestPki pki;
    static EstHttp anonymous;

    @BeforeAll
    static void start() throws Exception {
        // Bouncy Castle's EST client looks the provider up by name ("BC"); the server itself never registers it.
        if (java.security.Security.getProvider("BC") == null) {
            java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
        }
        pki = TestPki.create("EST Test CA");
        server = EstTestServer.start(home, pki, Map.of());
        anonymous = new EstHttp(pki, null);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        org.openest.est.testing.LogHygiene.assertNoSecrets();
    }

    static ESTService bcClient(KeyPair clientKeys, X509Certificate clientCert) throws Exception {
        JsseESTServiceBuilder builder = new JsseESTServiceBuilder(server.authority(),
                JcaJceUtils.getCertPathTrustManager(Set.of(new TrustAnchor(pki.caCertificate(), null)), null));
        if (clientKeys != null) {
            builder.withKeyManagers(JcaJceUtils.createKeyManagerFactory("PKIX", null,
                    TestPki.keyStore(clientKeys.getPrivate(), clientCert, pki.caCertificate()), TestPki.PASSWORD)
                    .getKeyManagers());
        }
        return builder.build();
    }

    static X509Certificate only(EnrollmentResponse response) throws Exception {
        X509CertificateHolder[] holders = ESTService.storeToArray(response.getStore());
        assertThat(holders).hasSize(1);
        return new JcaX509CertificateConverter().getCertificate(holders[0]);
    }

    static X509Certificate enrollWithPassword(KeyPair keys, String subject) throws Exception {
        EnrollmentResponse response = bcClient(null, null).simpleEnroll(false, TestPki.csr(keys, subject),
                new HttpAuth("est", EstTestServer.USER, EstTestServer.PASSWORD.toCharArray()));
        assertThat(response.isCompleted()).isTrue();
        return only(response);
    }

    @Test
    void cacertsWithBouncyCastleClientReturnsTheChain() throws Exception {
        CACertsResponse response = bcClient(null, null).getCACerts();
        X509CertificateHolder[] certificates = ESTService.storeToArray(response.getCertificateStore());
        assertThat(certificates).hasSize(1);
        assertThat(certificates[0].getEncoded()).isEqualTo(pki.caCertificate().getEncoded());
    }

    @Test
    void cacertsWireFormatIsStrict() throws Exception {
        HttpResponse<byte[]> response = anonymous.get(server.est("cacerts"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/pkcs7-mime");
        assertThat(response.headers().firstValue("Content-Transfer-Encoding")).hasValue("base64");
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(response.body().length);
        String body = new String(response.body(), StandardCharsets.US_ASCII);
        assertThat(body).doesNotContain("\r");
        for (String line : body.split("\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(64);
        }
        CMSSignedData signed = new CMSSignedData(Base64.getMimeDecoder().decode(body));
        assertThat(signed.getSignerInfos().size()).isZero();
        assertThat(signed.getSignedContent()).isNull();
        assertThat(signed.getCertificates().getMatches(null)).hasSize(1);
    }

    @Test
    void enrollWithPasswordIssuesCertificateForTheCsrKeyThatChainsToCacerts() throws Exception {
        KeyPair keys = TestPki.ec256();
        X509Certificate issued = enrollWithPassword(keys, "CN=pump-0001,O=Hospital");

        assertThat(issued.getPublicKey().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
        assertThat(org.bouncycastle.asn1.x500.X500Name.getInstance(issued.getSubjectX500Principal().getEncoded()))
                .isEqualTo(new org.bouncycastle.asn1.x500.X500Name("CN=pump-0001,O=Hospital"));
        assertThat(issued.getBasicConstraints()).isEqualTo(-1);
        assertThat(issued.getKeyUsage()[0]).isTrue();   // digitalSignature
        assertThat(issued.getKeyUsage()[5]).isFalse();  // never keyCertSign
        assertThat(issued.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_clientAuth.getId());
        assertThat(issued.getSerialNumber().signum()).isPositive();
        assertThat(issued.getSerialNumber().bitLength()).isGreaterThanOrEqualTo(64);

        CACertsResponse cacerts = bcClient(null, null).getCACerts();
        X509Certificate root = new JcaX509CertificateConverter()
                .getCertificate(ESTService.storeToArray(cacerts.getCertificateStore())[0]);
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(issued)), parameters);
    }

    @Test
    void enrollmentIsRecordedInTheRegistryBeforeItIsReturned() throws Exception {
        KeyPair keys = TestPki.ec256();
        X509Certificate issued = enrollWithPassword(keys, "CN=pump-registry");
        String serial = issued.getSerialNumber().toString(16).toUpperCase();
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "SA", "");
             PreparedStatement query = connection.prepareStatement(
                     "SELECT c.subject, c.principal, c.auth_method, c.operation, c.status, c.client_ip, d.current_serial"
                             + " FROM certificate c JOIN device d ON d.id = c.device_id WHERE c.serial = ?")) {
            query.setString(1, serial);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("CN=pump-registry");
                assertThat(row.getString(2)).isEqualTo(EstTestServer.USER);
                assertThat(row.getString(3)).isEqualTo("PASSWORD");
                assertThat(row.getString(4)).isEqualTo("simpleenroll");
                assertThat(row.getString(5)).isEqualTo("VALID");
                assertThat(row.getString(6)).isEqualTo("127.0.0.1");
                assertThat(row.getString(7)).isEqualTo(serial);
            }
        }
    }

    @Test
    void deviceRenewsItselfWithItsCertificateAndTheRenewalIsLinked() throws Exception {
        KeyPair keys = TestPki.ec256();
        X509Certificate first = enrollWithPassword(keys, "CN=pump-renew,O=Hospital");

        KeyPair newKeys = TestPki.ec256();
        EnrollmentResponse response = bcClient(keys, first).simpleEnroll(true,
                TestPki.csr(newKeys, "CN=pump-renew,O=Hospital"), null);
        X509Certificate renewed = only(response);
        assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        assertThat(renewed.getPublicKey().getEncoded()).isEqualTo(newKeys.getPublic().getEncoded());
        assertThat(renewed.getSubjectX500Principal()).isEqualTo(first.getSubjectX500Principal());

        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "SA", "");
             PreparedStatement query = connection.prepareStatement(
                     "SELECT renewal_of, operation, auth_method FROM certificate WHERE serial = ?")) {
            query.setString(1, renewed.getSerialNumber().toString(16).toUpperCase());
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo(first.getSerialNumber().toString(16).toUpperCase());
                assertThat(row.getString(2)).isEqualTo("simplereenroll");
                assertThat(row.getString(3)).isEqualTo("CERTIFICATE");
            }
        }
    }

    @Test
    void renewalWithTheSameKeyIsAllowed() throws Exception {
        KeyPair keys = TestPki.ec256();
        X509Certificate first = enrollWithPassword(keys, "CN=pump-samekey");
        X509Certificate renewed = only(bcClient(keys, first).simpleEnroll(true,
                TestPki.csr(keys, "CN=pump-samekey"), null));
        assertThat(renewed.getPublicKey()).isEqualTo(first.getPublicKey());
        assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
    }

    @Test
    void raCertificateEnrollsOtherSubjects() throws Exception {
        KeyPair raKeys = TestPki.ec256();
        X509Certificate ra = pki.issueClient(raKeys, "CN=IQE gateway", KeyPurposeId.id_kp_clientAuth,
                KeyPurposeId.id_kp_cmcRA);
        KeyPair pumpKeys = TestPki.ec256();
        X509Certificate pump = only(bcClient(raKeys, ra).simpleEnroll(false,
                TestPki.csr(pumpKeys, "CN=pump-via-ra"), null));
        assertThat(pump.getSubjectX500Principal().getName()).isEqualTo("CN=pump-via-ra");
        assertThat(pump.getPublicKey().getEncoded()).isEqualTo(pumpKeys.getPublic().getEncoded());
    }

    @Test
    void deviceCertificateMayEnrollItsOwnSubjectOnly() throws Exception {
        KeyPair keys = TestPki.ec256();
        X509Certificate device = enrollWithPassword(keys, "CN=pump-self");
        X509Certificate again = only(bcClient(keys, device).simpleEnroll(false,
                TestPki.csr(TestPki.ec256(), "CN=pump-self"), null));
        assertThat(again.getSubjectX500Principal()).isEqualTo(device.getSubjectX500Principal());
    }

    @Test
    void acceptsEveryCsrEncodingClientsSend() throws Exception {
        PKCS10CertificationRequest csr = TestPki.csr(TestPki.ec256(), "CN=encodings");
        byte[] der = csr.getEncoded();
        String oneLine = Base64.getEncoder().encodeToString(der);
        String wrapped = Base64.getMimeEncoder(64, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        String messy = " \t" + wrapped.replace("\r\n", " \r\n\t") + "\n\n";
        String pem = "-----BEGIN NEW CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END NEW CERTIFICATE REQUEST-----\n";
        String auth = EstHttp.basic(EstTestServer.USER, EstTestServer.PASSWORD);
        for (byte[] body : List.of(oneLine.getBytes(StandardCharsets.US_ASCII),
                wrapped.getBytes(StandardCharsets.US_ASCII), messy.getBytes(StandardCharsets.US_ASCII),
                pem.getBytes(StandardCharsets.US_ASCII), der)) {
            HttpResponse<byte[]> response = anonymous.post(server.est("simpleenroll"),
                    "application/pkcs10; charset=utf-8", auth, body);
            assertThat(response.statusCode()).as(EstHttp.text(response)).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValue("application/pkcs7-mime; smime-type=certs-only");
            List<X509Certificate> certificates = TestPki.parseCertificates(
                    Base64.getMimeDecoder().decode(response.body()));
            assertThat(certificates).hasSize(1);
            assertThat(certificates.get(0).getPublicKey().getEncoded())
                    .isEqualTo(csr.getSubjectPublicKeyInfo().getEncoded());
        }
    }

    @Test
    void contentTransferEncodingHeaderIsIgnored() throws Exception {
        byte[] body = Base64.getEncoder().encode(TestPki.csr(TestPki.ec256(), "CN=cte").getEncoded());
        for (String cte : List.of("binary", "base64", "7bit")) {
            HttpResponse<byte[]> response = anonymous.send(java.net.http.HttpRequest.newBuilder(
                    server.est("simpleenroll")).header("Content-Type", "application/pkcs10")
                    .header("Content-Transfer-Encoding", cte)
                    .header("Authorization", EstHttp.basic(EstTestServer.USER, EstTestServer.PASSWORD))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build());
            assertThat(response.statusCode()).as(cte).isEqualTo(200);
        }
    }

    @Test
    void base64IsOneLineForAClientWithoutUserAgentLikeStrongSwan() throws Exception {
        javax.net.ssl.SSLSocketFactory factory = TestPki.sslContext(null, pki.caCertificate()).getSocketFactory();
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) factory.createSocket("localhost",
                server.port())) {
            socket.getOutputStream().write(("GET /.well-known/est/cacerts HTTP/1.1\r\nHost: localhost:"
                    + server.port() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.1 200");
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            assertThat(body).endsWith("\n");
            assertThat(body.strip()).doesNotContain("\n").hasSizeGreaterThan(64);
            assertThat(TestPki.parseCertificates(Base64.getDecoder().decode(body.strip())))
                    .containsExactly(pki.caCertificate());
        }
    }

    @Test
    void csrattrsWithoutConfigurationIsNoContent() throws Exception {
        HttpResponse<byte[]> response = anonymous.get(server.est("csrattrs"));
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("Content-Length").orElse("0")).isEqualTo("0");
    }

    @Test
    void rsaAndP384AndEd25519KeysAreAccepted() throws Exception {
        for (KeyPair keys : List.of(TestPki.rsa(2048), TestPki.ec("secp384r1"), TestPki.ed25519())) {
            X509Certificate issued = enrollWithPassword(keys, "CN=key-" + keys.getPublic().getAlgorithm());
            assertThat(issued.getPublicKey().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
            boolean rsa = keys.getPublic().getAlgorithm().equals("RSA");
            assertThat(issued.getKeyUsage()[2]).as("keyEncipherment only for RSA").isEqualTo(rsa);
        }
    }
}
