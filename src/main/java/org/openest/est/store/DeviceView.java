package org.openest.est.store;

import java.time.Instant;

/**
 * A device with its current certificate, as the fleet views list it.
 *
 * @param id registry id
 * @param subject subject DN (RFC 2253)
 * @param status ACTIVE or DELETED
 * @param currentSerial serial of the current certificate, or null
 * @param label label it was issued on, or null
 * @param notAfter expiry of the current certificate, or null
 * @param certificateStatus VALID or REVOKED, or null
 * @param createdAt first enrollment
 * @param updatedAt last change
 */
public record DeviceView(long id, String subject, String status, String currentSerial, String label, Instant notAfter,
                         String certificateStatus, Instant createdAt, Instant updatedAt) {
}
