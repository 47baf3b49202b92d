package org.openest.est.store;

import java.time.Instant;

/**
 * One issued certificate as recorded in the registry.
 *
 * @param serial serial number, upper-case hex
 * @param issuer issuer DN (RFC 2253)
 * @param deviceId owning device
 * @param subject subject DN (RFC 2253)
 * @param san subjectAltName, printable (may be empty)
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param pem the certificate in PEM
 * @param principal who enrolled it (user name or certificate subject)
 * @param authMethod how that principal authenticated
 * @param clientIp the client address
 * @param label the EST label ("" for the default)
 * @param operation the EST operation
 * @param issuedAt when it was recorded
 * @param renewalOf serial of the certificate it renews, or null
 * @param status VALID or REVOKED
 * @param revokedAt when revoked, or null
 * @param revocationReason RFC 5280 reason code, or null
 */
public record CertificateRecord(String serial, String issuer, long deviceId, String subject, String san,
                                Instant notBefore, Instant notAfter, String pem, String principal, String authMethod,
                                String clientIp, String label, String operation, Instant issuedAt, String renewalOf,
                                String status, Instant revokedAt, Integer revocationReason) {

    /** Status of a certificate that has not been revoked. */
    public static final String VALID = "VALID";
    /** Status of a revoked certificate. */
    public static final String REVOKED = "REVOKED";

    /** @return true if revoked */
    public boolean revoked() {
        return REVOKED.equals(status);
    }
}
