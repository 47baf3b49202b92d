package org.openest.est.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.cmc.SimplePKIResponse;
import org.junit.jupiter.api.Test;
import org.openest.est.testing.TestPki;

class CertsOnlyTest {
    @Test
    void isADegenerateSignedDataThatBouncyCastleParsesAsSimplePkiResponse() throws Exception {
        TestPki pki = TestPki.create("CertsOnly CA");
        byte[] der = CertsOnly.encode(List.of(pki.caCertificate()));
        SimplePKIResponse response = new SimplePKIResponse(der);
        assertThat(response.getCertificates().getMatches(null)).hasSize(1);
        assertThat(TestPki.parseCertificates(der)).containsExactly(pki.caCertificate());
    }

    @Test
    void base64IsWrappedAt64ColumnsWithLf() {
        byte[] der = new byte[500];
        new java.util.Random(1).nextBytes(der);
        String text = new String(CertsOnly.base64(der), StandardCharsets.US_ASCII);
        assertThat(text).endsWith("\n").doesNotContain("\r");
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length - 1; i++) {
            assertThat(lines[i]).hasSize(64);
        }
        assertThat(Base64.getMimeDecoder().decode(text)).isEqualTo(der);
    }
}
