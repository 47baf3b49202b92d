package org.openest.est.enroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.api.Test;
import org.openest.est.ca.IssueRequest;
import org.openest.est.config.EstConfig;
import org.openest.est.protocol.EstError;
import org.openest.est.protocol.EstException;
import org.openest.est.testing.TestPki;

class IssuancePolicyTest {
    private static EstConfig.Issuance config(boolean copySan) {
        return new EstConfig.Issuance(90, List.of("clientAuth"), List.of("auto"), copySan, 2048, 8192,
                Set.of("P-256", "P-384"), true, java.util.Optional.empty());
    }

    private final IssuancePolicy policy = new IssuancePolicy(config(true));

    private static ExtensionsGenerator ext(org.bouncycastle.asn1.ASN1ObjectIdentifier oid,
                                           org.bouncycastle.asn1.ASN1Encodable value) throws Exception {
        ExtensionsGenerator generator = new ExtensionsGenerator();
        generator.addExtension(oid, true, value);
        return generator;
    }

    private void refused(KeyPair keys, String subject, ExtensionsGenerator extensions, EstError error, String text) {
        assertThatThrownBy(() -> policy.apply(TestPki.csr(keys, subject, extensions)))
                .isInstanceOfSatisfying(EstException.class, e -> {
                    assertThat(e.error()).isEqualTo(error);
                    assertThat(e.getMessage()).contains(text);
                });
    }

    @Test
    void takesSubjectSanAndConfiguredUsages() throws Exception {
        IssueRequest request = policy.apply(TestPki.csr(TestPki.ec256(), "CN=p", TestPki.san("p.example")));
        assertThat(request.subject().toString()).isEqualTo("CN=p");
        assertThat(request.subjectAltName()).isPresent();
        assertThat(request.keyUsageBits()).isEqualTo(KeyUsage.digitalSignature);
        assertThat(request.extendedKeyUsages()).extracting(Object::toString).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(request.validity().toDays()).isEqualTo(90);

        IssueRequest rsa = policy.apply(TestPki.csr(TestPki.rsa(2048), "CN=r"));
        assertThat(rsa.keyUsageBits()).isEqualTo(KeyUsage.digitalSignature | KeyUsage.keyEncipherment);
    }

    @Test
    void sanIsDroppedWhenPolicySaysSo() throws Exception {
        IssueRequest request = new IssuancePolicy(config(false)).apply(
                TestPki.csr(TestPki.ec256(), "CN=p", TestPki.san("p.example")));
        assertThat(request.subjectAltName()).isEmpty();
    }

    @Test
    void refusesWeakOrDisallowedKeys() {
        refused(TestPki.rsa(1024), "CN=w", null, EstError.WEAK_OR_UNSUPPORTED_KEY, "RSA 1024");
        refused(TestPki.ec("secp521r1"), "CN=w", null, EstError.WEAK_OR_UNSUPPORTED_KEY, "curve");
        refused(TestPki.ec("secp256k1"), "CN=w", null, EstError.WEAK_OR_UNSUPPORTED_KEY, "curve");
    }

    @Test
    void refusesCaExtensionsAndEmptyOrHugeSubjects() throws Exception {
        refused(TestPki.ec256(), "CN=c", ext(Extension.basicConstraints, new BasicConstraints(true)),
                EstError.FORBIDDEN_EXTENSION, "CA:true");
        refused(TestPki.ec256(), "CN=c", ext(Extension.keyUsage, new KeyUsage(KeyUsage.cRLSign)),
                EstError.FORBIDDEN_EXTENSION, "cRLSign");
        refused(TestPki.ec256(), "CN=c", ext(Extension.nameConstraints, new NameConstraints(
                new GeneralSubtree[] {new GeneralSubtree(new GeneralName(GeneralName.dNSName, "x.example"))}, null)),
                EstError.FORBIDDEN_EXTENSION, "nameConstraints");
        refused(TestPki.ec256(), "", null, EstError.EMPTY_SUBJECT, "empty subject");
        refused(TestPki.ec256(), "CN=x" + ",OU=yyyyyyyyyyyyyyyyyyyy".repeat(60), null, EstError.INVALID_SUBJECT,
                "longer than");
        // CA:false and ordinary key usages requested by openssl's defaults are fine (and ignored).
        policy.apply(TestPki.csr(TestPki.ec256(), "CN=ok", ext(Extension.basicConstraints,
                new BasicConstraints(false))));
    }

    @Test
    void configuredKeyUsageAndSubjectRuleApply() throws Exception {
        IssuancePolicy strict = new IssuancePolicy(new EstConfig.Issuance(90, List.of("clientAuth"),
                List.of("digitalSignature", "keyAgreement"), true, 2048, 8192, Set.of("P-256"), false,
                java.util.Optional.of(java.util.regex.Pattern.compile("CN=pump-[0-9]+,O=Hospital"))));
        // The rule sees the RFC 2253 form: a conventionally ordered subject /O=Hospital/CN=pump-17 reads
        // "CN=pump-17,O=Hospital".
        IssueRequest request = strict.apply(TestPki.csr(TestPki.ec256(), "O=Hospital,CN=pump-17"));
        assertThat(request.keyUsageBits()).isEqualTo(KeyUsage.digitalSignature | KeyUsage.keyAgreement);
        assertThatThrownBy(() -> strict.apply(TestPki.csr(TestPki.ec256(), "CN=laptop,O=Hospital")))
                .isInstanceOfSatisfying(EstException.class, e -> assertThat(e.getMessage())
                        .contains("subject rule"));
        assertThatThrownBy(() -> strict.apply(TestPki.csr(TestPki.ed25519(), "O=Hospital,CN=pump-1")))
                .isInstanceOf(EstException.class);
    }

    @Test
    void emptySubjectWithSanIsAccepted() throws Exception {
        IssueRequest request = policy.apply(TestPki.csr(TestPki.ec256(), "", TestPki.san("only-san.example")));
        assertThat(request.subjectAltName()).isPresent();
    }
}
