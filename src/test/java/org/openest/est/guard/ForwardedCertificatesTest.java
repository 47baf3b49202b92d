package org.openest.est.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.openest.est.ca.DevPki;
import org.openest.est.guard.ForwardedCertificates.Outcome;
import org.openest.est.testing.TestPki;

class ForwardedCertificatesTest {
    private static final TestPki PKI = TestPki.create("Forwarding CA");
    private static final X509Certificate DEVICE = PKI.issueClient(TestPki.ec256(), "CN=pump-1,O=Hospital",
            KeyPurposeId.id_kp_clientAuth);
    private static final TrustedProxies PROXY = TrustedProxies.parse(List.of("10.0.0.5", "fd00::/8"));

    private static ForwardedCertificates forwarded(Clock clock) {
        return new ForwardedCertificates(PROXY, List.of(PKI.caCertificate()), clock);
    }

    private static ForwardedCertificates forwarded() {
        return forwarded(Clock.systemUTC());
    }

    static String sf(X509Certificate certificate) throws Exception {
        return ":" + Base64.getEncoder().encodeToString(certificate.getEncoded()) + ":";
    }

    @Test
    void noHeaderIsAbsent() {
        assertThat(forwarded().resolve("10.0.0.5", List.of(), List.of()).outcome()).isEqualTo(Outcome.ABSENT);
    }

    @Test
    void acceptsRfc9440FromATrustedProxy() throws Exception {
        ForwardedCertificates.Result result = forwarded().resolve("10.0.0.5", List.of(sf(DEVICE)), List.of());
        assertThat(result.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(result.certificate()).hasValue(DEVICE);
        assertThat(forwarded().resolve("fd00::1", List.of(" " + sf(DEVICE) + " "), List.of()).certificate())
                .hasValue(DEVICE);
    }

    @Test
    void acceptsSslClientCertPemInTheShapesProxiesSend() {
        String pem = DevPki.pem(DEVICE);
        String spaced = pem.strip().replace("\r\n", " ").replace("\n", " ");
        String escaped = pem.replace(" ", "%20").replace("\n", "%0A").replace("+", "%2B").replace("/", "%2F")
                .replace("=", "%3D");
        for (String value : List.of(pem, spaced, escaped)) {
            assertThat(forwarded().resolve("10.0.0.5", List.of(), List.of(value)).certificate()).as(value)
                    .hasValue(DEVICE);
        }
    }

    @Test
    void ignoresTheHeaderFromAnyoneElse() throws Exception {
        ForwardedCertificates.Result result = forwarded().resolve("10.0.0.6", List.of(sf(DEVICE)), List.of());
        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.certificate()).isEmpty();
        ForwardedCertificates none = new ForwardedCertificates(TrustedProxies.parse(List.of()),
                List.of(PKI.caCertificate()), Clock.systemUTC());
        assertThat(none.resolve("127.0.0.1", List.of(), List.of(DevPki.pem(DEVICE))).outcome())
                .isEqualTo(Outcome.IGNORED);
    }

    @Test
    void rejectsACertificateFromAForgedCaWithOurName() throws Exception {
        TestPki forger = TestPki.create("Forwarding CA"); // same DN, different key
        assertThat(forger.caCertificate().getSubjectX500Principal()).isEqualTo(PKI.caCertificate()
                .getSubjectX500Principal());
        X509Certificate forged = forger.issueClient(TestPki.ec256(), "CN=pump-1,O=Hospital",
                KeyPurposeId.id_kp_clientAuth);
        assertThat(forwarded().resolve("10.0.0.5", List.of(sf(forged)), List.of()).outcome())
                .isEqualTo(Outcome.REJECTED);
        X509Certificate foreign = TestPki.create("Other CA").issueClient(TestPki.ec256(), "CN=x",
                KeyPurposeId.id_kp_clientAuth);
        assertThat(forwarded().resolve("10.0.0.5", List.of(sf(foreign)), List.of()).outcome())
                .isEqualTo(Outcome.REJECTED);
    }

    @Test
    void rejectsACertificateThatIsNotCurrentlyValid() throws Exception {
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(60)), ZoneOffset.UTC);
        Clock earlier = Clock.fixed(Instant.now().minus(Duration.ofDays(1)), ZoneOffset.UTC);
        assertThat(forwarded(later).resolve("10.0.0.5", List.of(sf(DEVICE)), List.of()).outcome())
                .isEqualTo(Outcome.REJECTED);
        assertThat(forwarded(earlier).resolve("10.0.0.5", List.of(sf(DEVICE)), List.of()).outcome())
                .isEqualTo(Outcome.REJECTED);
    }

    @Test
    void rejectsWhatDoesNotParse() throws Exception {
        List<List<String>> bad = List.of(List.of(":not base64!:"), List.of("MIIB"), List.of("::"),
                List.of(":" + Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.US_ASCII)) + ":"),
                List.of(sf(DEVICE), sf(DEVICE)), List.of(":" + "A".repeat(20_000) + ":"));
        for (List<String> lines : bad) {
            ForwardedCertificates.Result result = forwarded().resolve("10.0.0.5", lines, List.of());
            assertThat(result.outcome()).as(lines.toString().substring(0, Math.min(40, lines.toString().length())))
                    .isEqualTo(Outcome.REJECTED);
        }
        assertThat(forwarded().resolve("10.0.0.5", List.of(), List.of("(null)")).outcome())
                .isEqualTo(Outcome.REJECTED);
        assertThat(forwarded().resolve("10.0.0.5", List.of(), List.of("-----BEGIN%20CERTIFICATE-----%ZZ")).outcome())
                .isEqualTo(Outcome.REJECTED);
    }
}
