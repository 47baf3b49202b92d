package org.openest.est.store;

import java.time.Instant;

/**
 * A device: an identity (the certificate subject) and its current certificate.
 *
 * @param id registry id
 * @param subject subject DN (RFC 2253)
 * @param status ACTIVE (or DELETED, kept for audit)
 * @param currentSerial serial of its newest certificate
 * @param createdAt first enrollment
 * @param updatedAt last change
 */
public record DeviceRecord(long id, String subject, String status, String currentSerial, Instant createdAt,
                           Instant updatedAt) {
}
