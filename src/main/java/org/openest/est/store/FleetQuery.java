package org.openest.est.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A filter over devices, and the page of it to read. Immutable. Devices are always in id order.
 *
 * @param status device view status: "valid" (current certificate valid and unexpired), "revoked", "expired",
 *               "deleted", or empty for all
 * @param label label of the current certificate, or empty for all
 * @param text case-insensitive substring of the subject, or empty
 * @param expiringBefore only devices whose current valid certificate expires before this, or empty
 * @param now the reference time for "valid" and "expired"
 * @param offset rows to skip (OFFSET paging, kept for {@code ?page=}; ignored when {@code after} is given)
 * @param limit rows to return (1..500)
 * @param after keyset paging: only devices with an id greater than this (the {@code next} of the previous page),
 *              or empty for the first page
 */
public record FleetQuery(Optional<String> status, Optional<String> label, Optional<String> text,
                         Optional<Instant> expiringBefore, Instant now, int offset, int limit, Optional<Long> after) {

    /** An OFFSET-paged query (no keyset cursor). */
    public FleetQuery(Optional<String> status, Optional<String> label, Optional<String> text,
                      Optional<Instant> expiringBefore, Instant now, int offset, int limit) {
        this(status, label, text, expiringBefore, now, offset, limit, Optional.empty());
    }
}
