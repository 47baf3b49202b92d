package org.openest.est.store;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Fleet queries and revocation state over the registry: device lists, certificate history, expiries, revocation
 * lists, CRL numbers. Every read goes to the database (never a cache that can lag behind another node). Thread-safe.
 */
public final class Fleet {
    private final Jdbi jdbi;

    /**
     * @param jdbi a Jdbi with the SqlObject plugin over a migrated database
     */
    public Fleet(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * @param query the filter and page
     * @return the page of devices
     */
    public List<DeviceView> devices(FleetQuery query) {
        return jdbi.withExtension(FleetDao.class, dao -> dao.devices(bind(query)));
    }

    /**
     * @param query the filter (offset and limit ignored)
     * @return how many devices match
     */
    public long countDevices(FleetQuery query) {
        return jdbi.withExtension(FleetDao.class, dao -> dao.countDevices(bind(query)));
    }

    /**
     * @param id device id
     * @return the device
     */
    public Optional<DeviceView> device(long id) {
        return jdbi.withExtension(FleetDao.class, dao -> dao.device(id));
    }

    /**
     * @param from exclusive lower bound
     * @param to inclusive upper bound
     * @return expiry times of the current valid certificates of active devices in that range
     */
    public List<Instant> currentExpiries(Instant from, Instant to) {
        return jdbi.withExtension(FleetDao.class, dao -> dao.currentExpiries(from, to));
    }

    /**
     * @param issuer issuer DN (RFC 2253)
     * @return its revoked certificates
     */
    public List<RevokedEntry> revoked(String issuer) {
        return jdbi.withExtension(FleetDao.class, dao -> dao.revoked(issuer));
    }

    /**
     * @param issuer issuer DN
     * @return how many of its certificates are revoked (cheap change detection for the CRL cache)
     */
    public long countRevoked(String issuer) {
        return jdbi.withExtension(FleetDao.class, dao -> dao.countRevoked(issuer));
    }

    /**
     * @param serial a serial
     * @return the issuers that have issued a certificate with this serial (normally one)
     */
    public List<String> issuersOf(String serial) {
        return jdbi.withExtension(FleetDao.class, dao -> dao.issuersOf(serial));
    }

    /**
     * Deletes a device: all its valid certificates are revoked (cessationOfOperation) and it is marked DELETED;
     * the record and history stay for audit. One transaction.
     *
     * @param id device id
     * @return the number of certificates revoked, or -1 if there is no such (undeleted) device
     */
    public int deleteDevice(long id) {
        return jdbi.inTransaction(handle -> {
            FleetDao dao = handle.attach(FleetDao.class);
            Instant now = Instant.now();
            if (dao.markDeleted(id, now) != 1) {
                return -1;
            }
            return dao.revokeAllOf(id, CESSATION_OF_OPERATION, now);
        });
    }

    /**
     * Takes the next CRL number for an issuer (RFC 5280 section 5.2.3), atomically across nodes.
     *
     * @param issuer issuer DN
     * @return the number, starting at 1
     */
    public long nextCrlNumber(String issuer) {
        for (int attempt = 1;; attempt++) {
            try {
                return jdbi.inTransaction(handle -> {
                    FleetDao dao = handle.attach(FleetDao.class);
                    if (dao.bumpCrlNumber(issuer) == 0) {
                        dao.insertCrlNumber(issuer);
                    }
                    return dao.crlNumber(issuer);
                });
            } catch (UnableToExecuteStatementException e) {
                if (attempt >= 3 || !Registry.isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
    }

    /** RFC 5280 CRLReason cessationOfOperation. */
    public static final int CESSATION_OF_OPERATION = 5;

    private static FleetDao.QueryBinding bind(FleetQuery query) {
        return new FleetDao.QueryBinding(query.status().map(s -> s.toLowerCase(Locale.ROOT)).orElse(null),
                query.label().orElse(null),
                query.text().map(t -> "%" + t.toLowerCase(Locale.ROOT).replace("\\", "").replace("%", "")
                        .replace("_", "") + "%").orElse(null),
                query.expiringBefore().orElse(null), query.now(), Math.max(0, query.offset()),
                Math.max(1, Math.min(500, query.limit())));
    }
}
