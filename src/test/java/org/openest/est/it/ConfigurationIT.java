package org.openest.est.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Security;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.asn1.est.CsrAttrs;
import org.bouncycastle.est.CSRRequestResponse;
import org.bouncycastle.est.ESTService;
import org.bouncycastle.est.jcajce.JcaJceUtils;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openest.est.testing.EstHttp;
import org.openest.est.testing.EstTestServer;
import org.openest.est.testing.TestPki;

/** Configuration reaches the running webapp, and a bad configuration fails the deployment. */
class ConfigurationIT {
    @TempDir
    Path home;

    @Test
    void configuredCsrattrsValidityAndCteSwitchAreServed() throws Exception {
        if (Security.getProvider("BC") == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
        TestPki pki = TestPki.create("Config CA");
        try (EstTestServer server = EstTestServer.start(home, pki, Map.of(
                "csrattrs", "1.2.840.113549.1.9.7, 1.2.840.10045.2.1=1.3.132.0.34",
                "issuance.validity-days", "7",
                "issuance.eku", "clientAuth, serverAuth",
                "http.cte-header", "false"))) {
            EstHttp http = new EstHttp(pki, null);
            HttpResponse<byte[]> raw = http.get(server.est("csrattrs"));
            assertThat(raw.statusCode()).isEqualTo(200);
            assertThat(raw.headers().firstValue("Content-Type")).hasValue("application/csrattrs");
            assertThat(raw.headers().firstValue("Content-Transfer-Encoding")).isEmpty();
            CsrAttrs attrs = CsrAttrs.getInstance(Base64.getMimeDecoder().decode(raw.body()));
            assertThat(attrs.size()).isEqualTo(2);

            KeyPair keys = TestPki.ec256();
            HttpResponse<byte[]> enrolled = http.post(server.est("simpleenroll"), "application/pkcs10",
                    EstHttp.basic(EstTestServer.USER, EstTestServer.PASSWORD),
                    Base64.getEncoder().encode(TestPki.csr(keys, "CN=short-lived").getEncoded()));
            assertThat(enrolled.statusCode()).isEqualTo(200);
            assertThat(enrolled.headers().firstValue("Content-Transfer-Encoding")).isEmpty();
            X509Certificate issued = TestPki.parseCertificates(Base64.getMimeDecoder().decode(enrolled.body())).get(0);
            long days = (issued.getNotAfter().getTime() - System.currentTimeMillis()) / 86_400_000L;
            assertThat(days).isBetween(6L, 7L);
            assertThat(issued.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.1");
        }
    }

    @Test
    void bouncyCastleClientReadsCsrattrs() throws Exception {
        if (Security.getProvider("BC") == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
        TestPki pki = TestPki.create("Config CA 2");
        try (EstTestServer server = EstTestServer.start(home, pki, Map.of("csrattrs", "1.2.840.113549.1.9.7"))) {
            ESTService est = new JsseESTServiceBuilder(server.authority(),
                    JcaJceUtils.getCertPathTrustManager(Set.of(new TrustAnchor(pki.caCertificate(), null)), null))
                    .build();
            CSRRequestResponse response = est.getCSRAttributes();
            assertThat(response.hasAttributesResponse()).isTrue();
            assertThat(response.getAttributesResponse().hasRequirement(
                    new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.2.840.113549.1.9.7"))).isTrue();
        }
    }

    @Test
    void unknownKeyFailsTheDeployment() {
        assertThatThrownBy(() -> EstTestServer.start(home, TestPki.create("Bad CA"),
                Map.of("issuance.validty-days", "30")).close())
                .hasStackTraceContaining("issuance.validty-days");
    }
}
