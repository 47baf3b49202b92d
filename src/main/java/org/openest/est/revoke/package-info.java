/**
 * Revocation: revoking certificates and devices, CRLs per CA (regenerated on revocation and on a schedule) and the
 * OCSP responder (RFC 6960), both answering from the registry. Depends on {@code ca} and {@code store}.
 */
package org.openest.est.revoke;
