package org.openest.est.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openest.est.cli.Cli.s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openest.est.ca.DevPki;
import org.openest.est.testing.TestPki;

class TlsServerCommandTest {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CMC_RA = "1.3.6.1.5.5.7.3.28";

    @TempDir
    Path dir;

    private final TestPki pki = TestPki.create("TLS Test CA");

    @Test
    void keystoreHasTheNamedSansAndEkusAndTheTruststoreHasTheCas() throws Exception {
        Path caCert = pki.writeCaPem(dir.resolve("ca"));
        Path caKey = dir.resolve("ca").resolve("test-ca-key.pem");
        TestPki manufacturer = TestPki.create("Manufacturer CA");
        Path trust = Files.writeString(dir.resolve("manufacturer.pem"), DevPki.pem(manufacturer.caCertificate()));
        Path password = Files.writeString(dir.resolve("pw"), "tls-secret\n");
        Path out = dir.resolve("tls");

        Cli.Result result = Cli.run("tls", "server", "--ca-cert", s(caCert), "--ca-key", s(caKey), "--out", s(out),
                "--dns", "est.hospital.example", "--dns", "localhost", "--ip", "10.1.2.3", "--ip", "::1",
                "--trust", s(trust), "--password-file", s(password));

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.err()).doesNotContain("WARNING");
        KeyStore keystore = Cli.pkcs12(out.resolve("server.p12"), "tls-secret");
        assertThat(Collections.list(keystore.aliases())).containsExactly("server");
        Certificate[] chain = keystore.getCertificateChain("server");
        assertThat(chain).hasSize(2);
        assertThat(chain[1]).isEqualTo(pki.caCertificate());
        X509Certificate server = (X509Certificate) chain[0];
        server.verify(pki.caCertificate().getPublicKey());
        assertThat(server.getSubjectAlternativeNames()).containsExactly(
                List.of(2, "est.hospital.example"), List.of(2, "localhost"),
                List.of(7, "10.1.2.3"), List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CMC_RA);
        boolean[] keyUsage = server.getKeyUsage();
        assertThat(keyUsage[0]).as("digitalSignature").isTrue();
        assertThat(keyUsage[2]).as("keyEncipherment (EC key)").isFalse();
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(Certs.subject(server)).isEqualTo("CN=est.hospital.example");
        PrivateKey key = (PrivateKey) keystore.getKey("server", "tls-secret".toCharArray());
        assertThat(Cli.keysMatch(key, server.getPublicKey())).isTrue();
        assertThat(Files.getPosixFilePermissions(out.resolve("server.p12"))).isEqualTo(Cli.OWNER_ONLY);

        // JSSE can use it as Tomcat does.
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keystore, "tls-secret".toCharArray());
        assertThat(((X509KeyManager) factory.getKeyManagers()[0]).getCertificateChain("server")).hasSize(2);

        KeyStore truststore = Cli.pkcs12(out.resolve("truststore.p12"), "tls-secret");
        assertThat(Collections.list(truststore.aliases())).containsExactlyInAnyOrder("est-ca", "trust-1");
        assertThat(truststore.isCertificateEntry("est-ca")).isTrue();
        assertThat(truststore.getCertificate("est-ca")).isEqualTo(pki.caCertificate());
        assertThat(truststore.getCertificate("trust-1")).isEqualTo(manufacturer.caCertificate());
    }

    @Test
    void defaultsToTheDevelopmentPasswordWithAWarningAndAddsKeyEnciphermentForRsa() throws Exception {
        Path caCert = pki.writeCaPem(dir.resolve("ca"));
        Path out = dir.resolve("tls");

        Cli.Result result = Cli.run("tls", "server", "--ca-cert", s(caCert), "--ca-key",
                s(dir.resolve("ca").resolve("test-ca-key.pem")), "--out", s(out), "--ip", "192.0.2.7",
                "--key", "rsa-2048");

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.err()).startsWith("WARNING: ").contains("changeit");
        X509Certificate server = (X509Certificate) Cli.pkcs12(out.resolve("server.p12"), "changeit")
                .getCertificate("server");
        assertThat(server.getSubjectAlternativeNames()).containsExactly(List.of(7, "192.0.2.7"));
        assertThat(server.getKeyUsage()[2]).as("keyEncipherment").isTrue();
        assertThat(Certs.subject(server)).isEqualTo("CN=192.0.2.7");
        assertThat(Cli.pkcs12(out.resolve("truststore.p12"), "changeit").getCertificate("est-ca"))
                .isEqualTo(pki.caCertificate());
    }

    @Test
    void needsANameAndRejectsAddressesAsDnsNames() throws Exception {
        Path caCert = pki.writeCaPem(dir.resolve("ca"));
        String caKey = s(dir.resolve("ca").resolve("test-ca-key.pem"));
        Path out = dir.resolve("tls");

        Cli.Result none = Cli.run("tls", "server", "--ca-cert", s(caCert), "--ca-key", caKey, "--out", s(out));
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("--dns", "--ip");

        Cli.Result address = Cli.run("tls", "server", "--ca-cert", s(caCert), "--ca-key", caKey, "--out", s(out),
                "--dns", "10.0.0.1");
        assertThat(address.exit()).isEqualTo(2);
        assertThat(address.err()).contains("use --ip 10.0.0.1");

        Cli.Result hostAsIp = Cli.run("tls", "server", "--ca-cert", s(caCert), "--ca-key", caKey, "--out", s(out),
                "--ip", "est.example");
        assertThat(hostAsIp.exit()).isEqualTo(2);
        assertThat(hostAsIp.err()).contains("not an IPv4 or IPv6 address");
        assertThat(out).doesNotExist();
    }
}
