package org.openest.est.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openest.est.cli.Cli.s;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openest.est.ca.CaMaterial;
import org.openest.est.ca.DevPki;
import org.openest.est.testing.TestPki;

class CaCommandsTest {
    @TempDir
    Path dir;

    private Path root() {
        Path out = dir.resolve("root");
        assertThat(Cli.run("ca", "create", "--out", s(out), "--subject", "CN=Test Root,O=Hospital").exit()).isZero();
        return out;
    }

    @Test
    void createsASelfSignedRootCa() throws Exception {
        Path password = Files.writeString(dir.resolve("pw"), "p12-secret\nsecond line ignored\n");
        Path out = dir.resolve("root");
        Cli.Result result = Cli.run("ca", "create", "--out", s(out), "--subject", "CN=Test Root,O=Hospital",
                "--key", "ec-p384", "--days", "100", "--p12-password-file", s(password));

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("ca.cert=" + out.resolve("ca.pem"), "ca.key=" + out.resolve("ca-key.pem"));
        X509Certificate ca = CaMaterial.readCertificates(out.resolve("ca.pem")).get(0);
        ca.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(ca.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        assertThat(Certs.subject(ca)).isEqualTo("CN=Test Root,O=Hospital");
        assertThat(((ECKey) ca.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(384);
        assertThat(Files.getPosixFilePermissions(out.resolve("ca-key.pem"))).isEqualTo(Cli.OWNER_ONLY);
        assertThat(Files.getPosixFilePermissions(out.resolve("ca.p12"))).isEqualTo(Cli.OWNER_ONLY);
        assertThat(Files.readString(out.resolve("ca-key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");

        CaMaterial material = CaMaterial.fromPem(out.resolve("ca.pem"), out.resolve("ca-key.pem"), Optional.empty());
        assertThat(material.certificate()).isEqualTo(ca);
        CaMaterial fromP12 = CaMaterial.fromPkcs12(out.resolve("ca.p12"), "p12-secret".toCharArray(),
                Optional.of("ca"));
        assertThat(fromP12.certificate()).isEqualTo(ca);
    }

    @Test
    void refusesToOverwriteWithoutForce() throws Exception {
        Path out = root();
        byte[] before = Files.readAllBytes(out.resolve("ca.pem"));

        Cli.Result again = Cli.run("ca", "create", "--out", s(out));
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("already exist", "--force").doesNotContain("Exception");
        assertThat(Files.readAllBytes(out.resolve("ca.pem"))).isEqualTo(before);

        assertThat(Cli.run("ca", "create", "--out", s(out), "--force").exit()).isZero();
        assertThat(Files.readAllBytes(out.resolve("ca.pem"))).isNotEqualTo(before);
        assertThat(Files.getPosixFilePermissions(out.resolve("ca-key.pem"))).isEqualTo(Cli.OWNER_ONLY);
    }

    @Test
    void intermediateChainsToTheRootWithPathLenZero() throws Exception {
        Path rootDir = root();
        Path out = dir.resolve("device-ca");
        Cli.Result result = Cli.run("ca", "create-intermediate", "--issuer-cert", s(rootDir.resolve("ca.pem")),
                "--issuer-key", s(rootDir.resolve("ca-key.pem")), "--out", s(out), "--subject", "CN=Device CA",
                "--key", "rsa-2048");

        assertThat(result.exit()).as(result.err()).isZero();
        X509Certificate rootCert = CaMaterial.readCertificates(rootDir.resolve("ca.pem")).get(0);
        X509Certificate intermediate = CaMaterial.readCertificates(out.resolve("ca.pem")).get(0);
        assertThat(intermediate.getBasicConstraints()).isZero();
        assertThat(intermediate.getKeyUsage()[5]).isTrue();
        assertThat(CaMaterial.readCertificates(out.resolve("ca-chain.pem"))).containsExactly(intermediate, rootCert);
        assertThat(Files.getPosixFilePermissions(out.resolve("ca-key.pem"))).isEqualTo(Cli.OWNER_ONLY);
        validate(rootCert, intermediate);

        // The printed est.properties lines load as the server would load them: intermediate first, then root.
        assertThat(result.out()).contains("ca.cert=" + out.resolve("ca-chain.pem"));
        CaMaterial material = CaMaterial.fromPem(out.resolve("ca-chain.pem"), out.resolve("ca-key.pem"),
                Optional.empty());
        assertThat(material.chain()).containsExactly(intermediate, rootCert);

        // A device CA with pathLen 0 may not sign another CA.
        Cli.Result nested = Cli.run("ca", "create-intermediate", "--issuer-cert", s(out.resolve("ca.pem")),
                "--issuer-key", s(out.resolve("ca-key.pem")), "--out", s(dir.resolve("nested")));
        assertThat(nested.exit()).isEqualTo(1);
        assertThat(nested.err()).contains("pathLen 0");
    }

    @Test
    void importsPemCaWithChainInAnyOrderAndPrintsTheProperties() throws Exception {
        TestPki rootPki = TestPki.create("Import Root");
        Path rootDir = dir.resolve("given");
        rootPki.writeCaPem(rootDir);
        Path intermediateDir = dir.resolve("intermediate");
        assertThat(Cli.run("ca", "create-intermediate", "--issuer-cert", s(rootDir.resolve("test-ca.pem")),
                "--issuer-key", s(rootDir.resolve("test-ca-key.pem")), "--out", s(intermediateDir)).exit()).isZero();
        // ca-chain.pem repeats the CA certificate: import must not duplicate it.
        Path out = dir.resolve("imported");
        Cli.Result result = Cli.run("ca", "import", "--cert", s(intermediateDir.resolve("ca.pem")),
                "--key", s(intermediateDir.resolve("ca-key.pem")),
                "--chain", s(intermediateDir.resolve("ca-chain.pem")),
                "--out", s(out));

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("ca.cert=" + out.resolve("ca.pem"), "ca.key=" + out.resolve("ca-key.pem"),
                "ca.chain=" + out.resolve("ca-chain.pem"));
        X509Certificate intermediate = CaMaterial.readCertificates(intermediateDir.resolve("ca.pem")).get(0);
        assertThat(CaMaterial.readCertificates(out.resolve("ca.pem"))).containsExactly(intermediate);
        assertThat(CaMaterial.readCertificates(out.resolve("ca-chain.pem"))).containsExactly(rootPki.caCertificate());
        assertThat(Files.getPosixFilePermissions(out.resolve("ca-key.pem"))).isEqualTo(Cli.OWNER_ONLY);
        CaMaterial material = CaMaterial.fromPem(out.resolve("ca.pem"), out.resolve("ca-key.pem"),
                Optional.of(out.resolve("ca-chain.pem")));
        assertThat(material.chain()).containsExactly(intermediate, rootPki.caCertificate());
    }

    @Test
    void importsPkcs12() throws Exception {
        TestPki pki = TestPki.create("P12 Import CA");
        KeyStore store = TestPki.keyStore(pki.ca().privateKey(), pki.caCertificate());
        Path p12 = dir.resolve("ca.p12");
        try (OutputStream out = Files.newOutputStream(p12)) {
            store.store(out, TestPki.PASSWORD);
        }
        Path password = Files.writeString(dir.resolve("pw"), new String(TestPki.PASSWORD) + "\r\n");
        Path out = dir.resolve("imported");

        Cli.Result result = Cli.run("ca", "import", "--p12", s(p12), "--password-file", s(password), "--out", s(out));

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("ca.cert=" + out.resolve("ca.pem")).contains("\nca.chain=\n");
        assertThat(out.resolve("ca-chain.pem")).doesNotExist();
        PrivateKey key = CaMaterial.readPrivateKey(out.resolve("ca-key.pem"));
        assertThat(Cli.keysMatch(key, pki.caCertificate().getPublicKey())).isTrue();
        assertThat(Files.getPosixFilePermissions(out.resolve("ca-key.pem"))).isEqualTo(Cli.OWNER_ONLY);

        Path wrong = Files.writeString(dir.resolve("wrong"), "nope\n");
        Cli.Result bad = Cli.run("ca", "import", "--p12", s(p12), "--password-file", s(wrong), "--out",
                s(dir.resolve("other")));
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("password was incorrect").hasLineCount(1);
    }

    @Test
    void importingAMismatchedKeyFailsClearly() throws Exception {
        TestPki pki = TestPki.create("Mismatch CA");
        Path given = dir.resolve("given");
        Path cert = pki.writeCaPem(given);
        Path otherKey = given.resolve("other-key.pem");
        DevPki.writeOwnerOnly(otherKey, DevPki.pem(TestPki.ec256().getPrivate()));
        Path out = dir.resolve("imported");

        Cli.Result result = Cli.run("ca", "import", "--cert", s(cert), "--key", s(otherKey), "--out", s(out));

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("est-admin ca import: the private key does not match the CA certificate "
                + "CN=Mismatch CA,O=EST tests" + System.lineSeparator());
        assertThat(out).doesNotExist();
    }

    @Test
    void importingANonCaCertificateFails() throws Exception {
        TestPki pki = TestPki.create("Leaf Issuer");
        KeyPair keys = TestPki.ec256();
        X509Certificate leaf = pki.issueClient(keys, "CN=not-a-ca");
        Path cert = Files.writeString(dir.resolve("leaf.pem"), DevPki.pem(leaf));
        Path key = dir.resolve("leaf-key.pem");
        DevPki.writeOwnerOnly(key, DevPki.pem(keys.getPrivate()));

        Cli.Result result = Cli.run("ca", "import", "--cert", s(cert), "--key", s(key), "--out", s(dir.resolve("o")));

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("CN=not-a-ca is not a CA certificate");
    }

    private static void validate(X509Certificate root, X509Certificate... path) throws Exception {
        CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(List.of(path));
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    }
}
