package org.openest.est.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.openest.est.testing.TestPki;

class LocalCaTest {
    private final TestPki pki = TestPki.create("LocalCa Test CA");
    private final LocalCa ca = new LocalCa(pki.ca());

    private IssueRequest request(KeyPair keys, int keyUsage, Duration validity) {
        return new IssueRequest(new X500Name("CN=device"), SubjectPublicKeyInfo.getInstance(
                keys.getPublic().getEncoded()), Optional.empty(), keyUsage,
                List.of(KeyPurposeId.id_kp_clientAuth.toOID()), validity);
    }

    @Test
    void issuesAnEndEntityCertificateSignedByTheCa() throws Exception {
        KeyPair keys = TestPki.ec256();
        X509Certificate issued = ca.issue(request(keys, KeyUsage.digitalSignature, Duration.ofDays(30)));
        issued.verify(pki.caCertificate().getPublicKey());
        assertThat(issued.getIssuerX500Principal()).isEqualTo(pki.caCertificate().getSubjectX500Principal());
        assertThat(issued.getBasicConstraints()).isEqualTo(-1);
        assertThat(issued.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        assertThat(issued.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(issued.getExtensionValue("2.5.29.14")).as("SKI").isNotNull();
        assertThat(issued.getExtensionValue("2.5.29.35")).as("AKI").isNotNull();
        assertThat(issued.getNotAfter().toInstant())
                .isBetween(Instant.now().plus(Duration.ofDays(30)).minusSeconds(60), Instant.now().plus(Duration.ofDays(30)));
        assertThat(issued.getNotBefore().toInstant()).isBefore(Instant.now());
    }

    @Test
    void neverIssuesCertificateSigningKeyUsage() {
        X509Certificate issued = ca.issue(request(TestPki.ec256(),
                KeyUsage.digitalSignature | KeyUsage.keyCertSign | KeyUsage.cRLSign, Duration.ofDays(1)));
        assertThat(issued.getKeyUsage()[5]).isFalse();
        assertThat(issued.getKeyUsage()[6]).isFalse();
        assertThatThrownBy(() -> ca.issue(request(TestPki.ec256(), KeyUsage.keyCertSign, Duration.ofDays(1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validityIsCappedAtTheCaNotAfter() {
        X509Certificate issued = ca.issue(request(TestPki.ec256(), KeyUsage.digitalSignature,
                Duration.ofDays(365 * 30)));
        assertThat(issued.getNotAfter()).isEqualTo(pki.caCertificate().getNotAfter());
    }

    @Test
    void serialsArePositiveSixteenBytesWithTheIssueTimeThen80RandomBits() {
        BigInteger randomMask = BigInteger.ONE.shiftLeft(80).subtract(BigInteger.ONE);
        Set<BigInteger> serials = new HashSet<>();
        Set<BigInteger> randomParts = new HashSet<>();
        BigInteger randomBitsSeen = BigInteger.ZERO;
        for (int i = 0; i < 200; i++) {
            long before = System.currentTimeMillis();
            BigInteger serial = ca.issue(request(TestPki.ec256(), KeyUsage.digitalSignature, Duration.ofDays(1)))
                    .getSerialNumber();
            long after = System.currentTimeMillis();
            assertThat(serial.signum()).isPositive();
            assertThat(serial.bitLength()).isEqualTo(127); // 16 DER bytes, whatever the random part
            assertThat(serial.shiftRight(80).clearBit(126 - 80).longValue()).isBetween(before, after);
            serials.add(serial);
            randomParts.add(serial.and(randomMask));
            randomBitsSeen = randomBitsSeen.or(serial.and(randomMask));
        }
        assertThat(serials).hasSize(200);
        assertThat(randomParts).hasSize(200);
        assertThat(randomBitsSeen.bitCount()).isEqualTo(80); // every one of the 80 low bits varies
    }

    @Test
    void laterSerialsAreLarger() throws InterruptedException {
        BigInteger previous = BigInteger.ZERO;
        for (int i = 0; i < 5; i++) {
            BigInteger serial = ca.issue(request(TestPki.ec256(), KeyUsage.digitalSignature, Duration.ofDays(1)))
                    .getSerialNumber();
            assertThat(serial).isGreaterThan(previous);
            previous = serial;
            Thread.sleep(2);
        }
    }

    @Test
    void rsaCaSignsWithSha256WithRsa() throws Exception {
        KeyPair caKeys = TestPki.rsa(2048);
        X509Certificate caCert = DevPki.selfSignedCa(caKeys, "CN=RSA CA");
        CaMaterial material = new CaMaterial(caKeys.getPrivate(), caCert, List.of(caCert));
        X509Certificate issued = new LocalCa(material).issue(request(TestPki.ec256(), KeyUsage.digitalSignature,
                Duration.ofDays(1)));
        issued.verify(caKeys.getPublic());
        assertThat(issued.getSigAlgName()).isEqualTo("SHA256WITHRSA");
    }
}
