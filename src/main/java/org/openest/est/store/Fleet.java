package org.openest.est.store;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Fleet queries and revocation state over the registry: device lists, certificate history, expiries, revocation
 * lists, CRL numbers. Every read goes to the database (never a cache that can lag behind another node). Thread-safe.
 */
public final class Fleet {
    private static final RowMapper<DeviceView> DEVICE_VIEW = ConstructorMapper.of(DeviceView.class);

    private final Jdbi jdbi;
    private volatile Boolean postgres;

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
        return page(query, false).devices();
    }

    /**
     * One page of devices, in id order: {@code limit} devices after {@link FleetQuery#after()} (keyset paging, the
     * same cost at any depth) or, without it, after skipping {@link FleetQuery#offset()} rows (OFFSET paging).
     *
     * @param query the filter and page
     * @param count whether to return the total; it costs a {@code COUNT(*)} over the matching devices unless the
     *              page tells it (a first page with no next page). Without a certificate filter that count reads only
     *              the device table; with one it is proportional to the devices that match.
     * @return the page, its total if asked for, and the cursor of the next page
     */
    public DevicePage page(FleetQuery query, boolean count) {
        DeviceListSql sql = new DeviceListSql(query);
        return jdbi.inTransaction(handle -> {
            customPlans(handle);
            List<DeviceView> rows = handle.createQuery(sql.page()).bindMap(sql.pageBinds()).map(DEVICE_VIEW).list();
            boolean more = rows.size() > sql.limit();
            List<DeviceView> devices = more ? rows.subList(0, sql.limit()) : rows;
            Optional<Long> next = more ? Optional.of(devices.get(devices.size() - 1).id()) : Optional.empty();
            Optional<Long> total = Optional.empty();
            if (count) {
                total = Optional.of(sql.totalFromPage(devices.size(), more).orElseGet(() -> count(handle, sql)));
            }
            return new DevicePage(devices, total, next);
        });
    }

    /**
     * @param query the filter (offset, limit and after ignored)
     * @return how many devices match
     */
    public long countDevices(FleetQuery query) {
        DeviceListSql sql = new DeviceListSql(query);
        return jdbi.inTransaction(handle -> {
            customPlans(handle);
            return count(handle, sql);
        });
    }

    /**
     * The counts of several filters in one pass over the registry (see
     * {@link DeviceListSql#countsInOnePass(List)}): each equals {@link #countDevices(FleetQuery)} of its filter.
     *
     * @param queries the filters (offset, limit and after ignored); their {@code now} must be the same instant
     * @return how many devices match each, in order
     */
    public List<Long> countDevices(List<FleetQuery> queries) {
        Map.Entry<String, Map<String, Object>> sql = DeviceListSql.countsInOnePass(queries);
        return jdbi.withHandle(handle -> handle.createQuery(sql.getKey()).bindMap(sql.getValue())
                .map((rs, ctx) -> {
                    List<Long> counts = new ArrayList<>(queries.size());
                    for (int i = 1; i <= queries.size(); i++) {
                        counts.add(rs.getLong(i));
                    }
                    return counts;
                }).one());
    }

    private static long count(Handle handle, DeviceListSql sql) {
        return handle.createQuery(sql.count()).bindMap(sql.countBinds()).mapTo(Long.class).one();
    }

    /**
     * On PostgreSQL, plans the list statements for their actual values every time. The JDBC driver turns a statement
     * run often into a server-side prepared one, and after five runs PostgreSQL may switch it to a generic plan made
     * without the values: for {@code LOWER(subject) LIKE ?} ... {@code ORDER BY id LIMIT ?} that plan walks the
     * primary key through the whole table (40 ms at 100k devices) instead of using the trigram index (5 ms).
     * {@code SET LOCAL} lasts until the end of this transaction only.
     */
    private void customPlans(Handle handle) {
        Boolean postgres = this.postgres;
        if (postgres == null) {
            try {
                postgres = "PostgreSQL".equals(handle.getConnection().getMetaData().getDatabaseProductName());
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the database product name", e);
            }
            this.postgres = postgres;
        }
        if (postgres) {
            handle.execute("SET LOCAL plan_cache_mode = force_custom_plan");
        }
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
}
