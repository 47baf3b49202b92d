package org.openest.est.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.openest.est.ca.Crypto;
import org.openest.est.testing.TestPki;

class CsrDecoderTest {
    private final CsrDecoder decoder = new CsrDecoder(Crypto.provider());
    private final PKCS10CertificationRequest csr = TestPki.csr(TestPki.ec256(), "CN=decoder");

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void decodesBase64WithAnyWhitespace() throws Exception {
        String b64 = Base64.getMimeEncoder(20, ascii("\r\n")).encodeToString(csr.getEncoded());
        String messy = "\n\t " + b64.replace("\r\n", "\r\n \t") + "  \r\n";
        assertThat(decoder.decode(ascii(messy)).getEncoded()).isEqualTo(csr.getEncoded());
    }

    @Test
    void decodesRawDerAndPem() throws Exception {
        assertThat(decoder.decode(csr.getEncoded()).getEncoded()).isEqualTo(csr.getEncoded());
        String pem = "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder().encodeToString(csr.getEncoded()) + "\n-----END CERTIFICATE REQUEST-----\n";
        assertThat(decoder.decode(ascii(pem)).getEncoded()).isEqualTo(csr.getEncoded());
    }

    @Test
    void rejectsEmptyGarbageAndTrailingData() throws Exception {
        assertError(ascii(" \r\n\t"), EstError.EMPTY_BODY);
        assertError(ascii("not*base64"), EstError.MALFORMED_BASE64);
        assertError(ascii("QUJD="), EstError.MALFORMED_BASE64);          // bad padding
        assertError(Base64.getEncoder().encode(ascii("plain text")), EstError.MALFORMED_CSR);
        byte[] der = csr.getEncoded();
        byte[] trailing = java.util.Arrays.copyOf(der, der.length + 2);
        assertError(trailing, EstError.MALFORMED_CSR);
        assertError(java.util.Arrays.copyOf(der, der.length - 10), EstError.MALFORMED_CSR);
        assertError(ascii("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"), EstError.MALFORMED_CSR);
    }

    @Test
    void deepNestingIsA400NotAStackOverflow() {
        byte[] der = new byte[60_000];
        for (int i = 0; i < der.length; i += 2) {
            der[i] = 0x30;
            der[i + 1] = (byte) 0x80;
        }
        assertError(der, EstError.MALFORMED_CSR);
    }

    @Test
    void proofOfPossessionDetectsATamperedSignature() throws Exception {
        decoder.verifyProofOfPossession(csr);
        byte[] der = csr.getEncoded();
        der[der.length - 3] ^= 0x40;
        PKCS10CertificationRequest tampered = decoder.decode(der);
        assertThatThrownBy(() -> decoder.verifyProofOfPossession(tampered))
                .isInstanceOfSatisfying(EstException.class, e -> assertThat(e.error())
                        .isEqualTo(EstError.BAD_CSR_SIGNATURE));
    }

    @Test
    void proofOfPossessionFailsForAnotherKeysSignature() throws Exception {
        PKCS10CertificationRequest other = TestPki.csr(TestPki.ec256(), "CN=decoder");
        // Same subject, the signature of one CSR over the body of another: must not verify.
        org.bouncycastle.asn1.pkcs.CertificationRequest mixed = new org.bouncycastle.asn1.pkcs.CertificationRequest(
                csr.toASN1Structure().getCertificationRequestInfo(), other.getSignatureAlgorithm(),
                other.toASN1Structure().getSignature());
        PKCS10CertificationRequest swapped = new PKCS10CertificationRequest(mixed);
        assertThatThrownBy(() -> decoder.verifyProofOfPossession(swapped)).isInstanceOf(EstException.class);
    }

    private void assertError(byte[] body, EstError expected) {
        assertThatThrownBy(() -> decoder.decode(body)).isInstanceOfSatisfying(EstException.class,
                e -> assertThat(e.error()).isEqualTo(expected));
    }
}
