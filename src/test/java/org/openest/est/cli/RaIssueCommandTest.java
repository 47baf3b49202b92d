package org.openest.est.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openest.est.cli.Cli.s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openest.est.ca.CaMaterial;

class RaIssueCommandTest {
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String CMC_RA = "1.3.6.1.5.5.7.3.28";

    @TempDir
    Path dir;

    @Test
    void issuesAnRaCertificateAsPkcs12AndPem() throws Exception {
        Path root = dir.resolve("root");
        Path device = dir.resolve("device");
        assertThat(Cli.run("ca", "create", "--out", s(root)).exit()).isZero();
        assertThat(Cli.run("ca", "create-intermediate", "--issuer-cert", s(root.resolve("ca.pem")), "--issuer-key",
                s(root.resolve("ca-key.pem")), "--out", s(device)).exit()).isZero();
        Path password = Files.writeString(dir.resolve("pw"), "ra-secret\n");
        Path out = dir.resolve("ra");

        Cli.Result result = Cli.run("ra", "issue", "--ca-cert", s(device.resolve("ca-chain.pem")), "--ca-key",
                s(device.resolve("ca-key.pem")), "--subject", "CN=gateway-3,O=Hospital", "--out", s(out),
                "--key", "rsa-2048", "--days", "30", "--password-file", s(password));

        assertThat(result.exit()).as(result.err()).isZero();
        X509Certificate ra = CaMaterial.readCertificates(out.resolve("ra.pem")).get(0);
        X509Certificate deviceCa = CaMaterial.readCertificates(device.resolve("ca.pem")).get(0);
        X509Certificate rootCa = CaMaterial.readCertificates(root.resolve("ca.pem")).get(0);
        ra.verify(deviceCa.getPublicKey());
        assertThat(Certs.subject(ra)).isEqualTo("CN=gateway-3,O=Hospital");
        assertThat(ra.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH, CMC_RA);
        assertThat(ra.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(ra.getKeyUsage()[2]).as("keyEncipherment").isTrue();
        assertThat(ra.getBasicConstraints()).isEqualTo(-1);
        assertThat(((RSAKey) ra.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);

        PrivateKey pemKey = CaMaterial.readPrivateKey(out.resolve("ra-key.pem"));
        assertThat(Cli.keysMatch(pemKey, ra.getPublicKey())).isTrue();
        assertThat(CaMaterial.readCertificates(out.resolve("ca-chain.pem"))).containsExactly(deviceCa, rootCa);

        KeyStore p12 = Cli.pkcs12(out.resolve("ra.p12"), "ra-secret");
        Certificate[] chain = p12.getCertificateChain("ra");
        assertThat(chain).containsExactly(ra, deviceCa, rootCa);
        assertThat(Cli.keysMatch((PrivateKey) p12.getKey("ra", "ra-secret".toCharArray()), ra.getPublicKey()))
                .isTrue();

        assertThat(Files.getPosixFilePermissions(out.resolve("ra-key.pem"))).isEqualTo(Cli.OWNER_ONLY);
        assertThat(Files.getPosixFilePermissions(out.resolve("ra.p12"))).isEqualTo(Cli.OWNER_ONLY);
    }

    @Test
    void subjectIsRequired() {
        Cli.Result result = Cli.run("ra", "issue", "--ca-cert", "x", "--ca-key", "y", "--out", s(dir));
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("--subject is required");
    }
}
