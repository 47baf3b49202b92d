package org.openest.est.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.openest.est.ca.IssueRequest;
import org.openest.est.ca.LocalCa;
import org.openest.est.testing.TestPki;

class CsrNamesTest {
    private final TestPki pki = TestPki.create("Names CA");
    private final LocalCa ca = new LocalCa(pki.ca());

    private X509Certificate certificate(String subject, String... dns) {
        KeyPair keys = TestPki.ec256();
        Optional<GeneralNames> san = Optional.empty();
        if (dns.length > 0) {
            GeneralName[] names = new GeneralName[dns.length];
            for (int i = 0; i < dns.length; i++) {
                names[i] = new GeneralName(GeneralName.dNSName, dns[i]);
            }
            san = Optional.of(new GeneralNames(names));
        }
        return ca.issue(new IssueRequest(new X500Name(subject), SubjectPublicKeyInfo.getInstance(
                keys.getPublic().getEncoded()), san, KeyUsage.digitalSignature, List.of(), Duration.ofDays(1)));
    }

    @Test
    void sameSubjectAndSanInAnyOrderMatch() throws Exception {
        X509Certificate current = certificate("CN=pump,O=H", "a.example", "b.example");
        assertThat(CsrNames.sameNames(TestPki.csr(TestPki.ec256(), "CN=pump,O=H",
                TestPki.san("b.example", "a.example")), current)).isTrue();
        assertThat(CsrNames.sameNames(TestPki.csr(TestPki.ec256(), "cn=PUMP, o=h",
                TestPki.san("a.example", "b.example")), current)).as("RFC 4518 matching").isTrue();
    }

    @Test
    void differentSubjectOrSanDoNotMatch() throws Exception {
        X509Certificate current = certificate("CN=pump", "a.example");
        assertThat(CsrNames.sameNames(TestPki.csr(TestPki.ec256(), "CN=other", TestPki.san("a.example")), current))
                .isFalse();
        assertThat(CsrNames.sameNames(TestPki.csr(TestPki.ec256(), "CN=pump"), current)).as("SAN dropped").isFalse();
        assertThat(CsrNames.sameNames(TestPki.csr(TestPki.ec256(), "CN=pump",
                TestPki.san("a.example", "c.example")), current)).as("SAN added").isFalse();
        assertThat(CsrNames.sameNames(TestPki.csr(TestPki.ec256(), "CN=pump,O=x", TestPki.san("a.example")),
                current)).as("RDN added").isFalse();
    }

    @Test
    void describesSans() throws Exception {
        assertThat(CsrNames.describe(CsrNames.subjectAltName(TestPki.csr(TestPki.ec256(), "CN=x",
                TestPki.san("a.example", "b.example"))))).isEqualTo("DNS:a.example, DNS:b.example");
        assertThat(CsrNames.describe(Optional.empty())).isEmpty();
    }
}
