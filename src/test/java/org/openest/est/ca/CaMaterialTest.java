package org.openest.est.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openest.est.testing.TestPki;

class CaMaterialTest {
    @TempDir
    Path dir;

    @Test
    void loadsPemCaAndChain() throws Exception {
        TestPki root = TestPki.create("Hospital Root");
        KeyPair intermediateKeys = TestPki.ec256();
        X509Certificate intermediate = intermediate(root, intermediateKeys);
        Path cert = dir.resolve("ca.pem");
        Files.writeString(cert, DevPki.pem(intermediate));
        Path chain = dir.resolve("chain.pem");
        Files.writeString(chain, DevPki.pem(root.caCertificate()));
        Path key = dir.resolve("ca-key.pem");
        DevPki.writeOwnerOnly(key, DevPki.pem(intermediateKeys.getPrivate()));

        CaMaterial material = CaMaterial.fromPem(cert, key, Optional.of(chain));
        assertThat(material.chain()).containsExactly(intermediate, root.caCertificate());
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void loadsPkcs12() throws Exception {
        TestPki pki = TestPki.create("P12 CA");
        KeyStore store = TestPki.keyStore(pki.ca().privateKey(), pki.caCertificate());
        Path file = dir.resolve("ca.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, TestPki.PASSWORD);
        }
        CaMaterial material = CaMaterial.fromPkcs12(file, TestPki.PASSWORD, Optional.empty());
        assertThat(material.certificate()).isEqualTo(pki.caCertificate());
        assertThatThrownBy(() -> CaMaterial.fromPkcs12(file, "wrong".toCharArray(), Optional.empty()))
                .hasMessageContaining("Cannot read CA keystore");
    }

    @Test
    void rejectsAKeyThatDoesNotMatchAndANonCaCertificate() {
        TestPki pki = TestPki.create("Mismatch CA");
        KeyPair other = TestPki.ec256();
        assertThatThrownBy(() -> new CaMaterial(other.getPrivate(), pki.caCertificate(),
                List.of(pki.caCertificate()))).hasMessageContaining("does not match");
        KeyPair leafKeys = TestPki.ec256();
        X509Certificate leaf = pki.issueClient(leafKeys, "CN=leaf", KeyPurposeId.id_kp_clientAuth);
        assertThatThrownBy(() -> new CaMaterial(leafKeys.getPrivate(), leaf, List.of(leaf)))
                .hasMessageContaining("not a CA certificate");
    }

    @Test
    void devPkiIsIdempotentAndOwnerOnly() throws Exception {
        DevPki dev = new DevPki(dir.resolve("home"));
        CaMaterial first = dev.ensureCa();
        dev.ensureTls(first, List.of("localhost", "est.example"), List.of("127.0.0.1", "10.1.2.3"));
        CaMaterial second = dev.ensureCa();
        assertThat(second.certificate()).isEqualTo(first.certificate());
        assertThat(Files.getPosixFilePermissions(dev.caKey())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dev.serverKeystore()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));

        KeyStore server = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(dev.serverKeystore())) {
            server.load(in, DevPki.DEV_PASSWORD_TEXT.toCharArray());
        }
        X509Certificate tls = (X509Certificate) server.getCertificate("server");
        assertThat(tls.getExtendedKeyUsage()).contains(KeyPurposeId.id_kp_serverAuth.getId(),
                KeyPurposeId.id_kp_cmcRA.getId());
        assertThat(tls.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))).toList())
                .contains("localhost", "est.example", "127.0.0.1", "10.1.2.3");
        tls.verify(first.certificate().getPublicKey());
    }

    private static X509Certificate intermediate(TestPki root, KeyPair keys) throws Exception {
        org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder builder =
                new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(root.caCertificate(),
                        java.math.BigInteger.valueOf(7), new java.util.Date(System.currentTimeMillis() - 60_000),
                        new java.util.Date(System.currentTimeMillis() + 86_400_000L),
                        new javax.security.auth.x500.X500Principal("CN=Device CA,O=Hospital"), keys.getPublic());
        builder.addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
                new org.bouncycastle.asn1.x509.BasicConstraints(0));
        builder.addExtension(org.bouncycastle.asn1.x509.Extension.keyUsage, true,
                new org.bouncycastle.asn1.x509.KeyUsage(org.bouncycastle.asn1.x509.KeyUsage.keyCertSign));
        return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(builder.build(
                new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                        .build(root.ca().privateKey())));
    }
}
