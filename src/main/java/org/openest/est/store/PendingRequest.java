package org.openest.est.store;

import java.time.Instant;

/**
 * An enrollment request held for manual approval.
 *
 * @param id registry id
 * @param profile profile name
 * @param csrSha256 hex SHA-256 of the CSR's DER (how a retry is recognised)
 * @param csrPem the CSR
 * @param subject requested subject (RFC 2253)
 * @param operation EST operation that asked
 * @param principal who asked
 * @param authMethod how they authenticated
 * @param clientIp from where
 * @param status PENDING, APPROVED, REJECTED or ISSUED
 * @param createdAt when first asked
 * @param decidedAt when decided, or null
 * @param decidedBy who decided, or null
 * @param serial serial issued, or null
 */
public record PendingRequest(long id, String profile, String csrSha256, String csrPem, String subject,
                             String operation, String principal, String authMethod, String clientIp, String status,
                             Instant createdAt, Instant decidedAt, String decidedBy, String serial) {
    /** Waiting for a decision. */
    public static final String PENDING = "PENDING";
    /** Approved; the next retry issues. */
    public static final String APPROVED = "APPROVED";
    /** Rejected; retries get 403. */
    public static final String REJECTED = "REJECTED";
    /** Issued; retries get the same certificate again. */
    public static final String ISSUED = "ISSUED";
}
