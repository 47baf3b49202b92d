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
     * Signs a CRL (RFC 5280 section 5) built by the caller; the CA adds nothing but its signature.
     *
     * @param builder the CRL content
     * @return the signed CRL
     */
    org.bouncycastle.cert.X509CRLHolder signCrl(org.bouncycastle.cert.X509v2CRLBuilder builder);

    /**
     * Signs an OCSP basic response (RFC 6960) with the CA key: the CA is its own responder.
     *
     * @param builder the response content
     * @param producedAt production time
     * @return the signed response
     */
    org.bouncycastle.cert.ocsp.BasicOCSPResp signOcsp(org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder builder,
                                                      java.util.Date producedAt);

    /**
     * Health probe: signs a probe value with the CA key and verifies it with the CA certificate, and checks that the
     * CA certificate is currently valid. Issues nothing.
     *
     * @throws IllegalStateException if the CA cannot sign or its certificate is not valid now
     */
    void selfTest();
}
