package org.openest.est.ca;

import java.security.cert.X509Certificate;
import java.util.List;

/** A CA that signs certificates. Implementations are thread-safe. */
public interface CertificateAuthority {

    /** @return the issuing CA certificate */
    X509Certificate certificate();

    /**
     * The chain served by {@code /cacerts} (RFC 7030 section 4.1.3): the issuing CA first, then each issuer up to
     * and including the root when known.
     *
     * @return the chain
     */
    List<X509Certificate> chain();

    /**
     * Signs a certificate. Never returns a CA certificate.
     *
     * @param request what to issue
     * @return the signed certificate
     */
    X509Certificate issue(IssueRequest request);

    /**
     * Health probe: signs a probe value with the CA key and verifies it with the CA certificate, and checks that the
     * CA certificate is currently valid. Issues nothing.
     *
     * @throws IllegalStateException if the CA cannot sign or its certificate is not valid now
     */
    void selfTest();
}
