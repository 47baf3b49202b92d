package org.openest.est.store;

import java.time.Instant;

/**
 * A revoked certificate as a CRL or OCSP response lists it.
 *
 * @param serial serial, upper-case hex
 * @param revokedAt revocation time
 * @param revocationReason RFC 5280 CRLReason code
 */
public record RevokedEntry(String serial, Instant revokedAt, int revocationReason) {
}
