package org.openest.est.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A filter over devices. Immutable.
 *
 * @param status device view status: "valid" (current certificate valid and unexpired), "revoked", "expired",
 *               "deleted", or empty for all
 * @param label label of the current certificate, or empty for all
 * @param text case-insensitive substring of the subject, or empty
 * @param expiringBefore only devices whose current valid certificate expires before this, or empty
 * @param now the reference time for "valid" and "expired"
 * @param offset rows to skip
 * @param limit rows to return (1..500)
 */
public record FleetQuery(Optional<String> status, Optional<String> label, Optional<String> text,
                         Optional<Instant> expiringBefore, Instant now, int offset, int limit) {
}
