package org.openest.est.store;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The device registry. Every write is one committed transaction before the method returns, so a certificate is
 * durable before it is sent (the HSQLDB default runs with write delay off; PostgreSQL commits synchronously).
 * Thread-safe.
 */
public final class Registry {
    private static final int ATTEMPTS = 12;
    /** RFC 5280 CRLReason superseded. */
    public static final int SUPERSEDED = 4;
    /** Most enrollments recorded in one transaction. */
    static final int MAX_GROUP = 64;
    private final Jdbi jdbi;
    private final GroupCommit<Outcome> enrollments;

    private static final String FIND_DEVICE = "SELECT id, current_serial FROM device WHERE subject = :subject";
    private static final String INSERT_DEVICE = "INSERT INTO device (subject, status, current_serial, created_at,"
            + " updated_at) VALUES (:subject, 'ACTIVE', :serial, :now, :now)";
    private static final String INSERT_CERTIFICATE = "INSERT INTO certificate (serial, issuer, device_id, subject, san,"
            + " not_before, not_after, pem, principal, auth_method, client_ip, label, operation, issued_at, renewal_of,"
            + " status) VALUES (:serial, :issuer, :deviceId, :subject, :san, :notBefore, :notAfter, :pem, :principal,"
            + " :authMethod, :clientIp, :label, :operation, :issuedAt, :renewalOf, :status)";
    private static final String STATUS = "SELECT status FROM certificate WHERE issuer = :issuer AND serial = :serial";
    /** Compare-and-set: 0 rows when another transaction changed the current certificate meanwhile. */
    private static final String SET_CURRENT = "UPDATE device SET current_serial = :serial, status = 'ACTIVE',"
            + " updated_at = :now WHERE id = :id"
            + " AND COALESCE(current_serial, '') = COALESCE(CAST(:expected AS VARCHAR(64)), '')";

    /**
     * @param jdbi a Jdbi with the SqlObject plugin installed, over a migrated database
     */
    public Registry(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.enrollments = new GroupCommit<>(jdbi, MAX_GROUP,
                e -> e instanceof ConcurrentChangeException || isUniqueViolation(e));
    }

    /** What the registry does when the subject already holds a valid certificate. */
    public enum OnDuplicate {
        /** Record another certificate. */
        ALLOW,
        /** Refuse: {@link DuplicateCertificateException}. */
        REJECT,
        /** Record and revoke the previous current certificate (reason superseded). */
        REPLACE
    }

    /**
     * Records an issued certificate and makes it its device's current certificate, creating the device on first
     * enrollment. Commits before returning, in a transaction shared with concurrent enrollments ({@link GroupCommit}).
     * The duplicate rule is enforced inside the transaction with a compare-and-set on the device's current serial, so
     * it holds across server nodes sharing one database.
     *
     * @param certificate the certificate; {@code deviceId} is ignored and assigned here
     * @param onDuplicate what to do if the subject already holds a valid certificate
     * @param presentedBy the serial of the client certificate that authenticated the request, when the same CA
     *     issued it (else null): the record is refused if the registry holds that certificate as revoked. Checked in
     *     the recording transaction, so it costs no read of its own and sees a revocation committed on any node.
     * @return the stored record
     * @throws DuplicateCertificateException if {@code onDuplicate} is REJECT and a valid certificate exists
     * @throws RevokedCertificateException if {@code presentedBy} is revoked
     */
    public CertificateRecord recordIssued(CertificateRecord certificate, OnDuplicate onDuplicate, String presentedBy) {
        return enrollments.run(handle -> record(handle, certificate, onDuplicate, presentedBy),
                () -> recordAlone(certificate, onDuplicate, presentedBy)).get();
    }

    /**
     * {@link #recordIssued(CertificateRecord, OnDuplicate, String)} for a request not authenticated by a certificate
     * of this CA.
     *
     * @param certificate the certificate
     * @param onDuplicate what to do if the subject already holds a valid certificate
     * @return the stored record
     */
    public CertificateRecord recordIssued(CertificateRecord certificate, OnDuplicate onDuplicate) {
        return recordIssued(certificate, onDuplicate, null);
    }

    /** {@link #recordIssued(CertificateRecord, OnDuplicate, String)} in a transaction of its own, retried on races. */
    private Outcome recordAlone(CertificateRecord certificate, OnDuplicate onDuplicate, String presentedBy) {
        for (int attempt = 1;; attempt++) {
            try {
                return jdbi.inTransaction(handle -> record(handle, certificate, onDuplicate, presentedBy));
            } catch (ConcurrentChangeException | UnableToExecuteStatementException e) {
                // Another transaction (maybe on another node) enrolled the same subject first: run again, so the
                // duplicate rule is decided against what it committed.
                if (attempt >= ATTEMPTS || (e instanceof UnableToExecuteStatementException && !isUniqueViolation(e))) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    /**
     * One enrollment's part of a shared transaction: the stored record, or the refusal decided before it wrote
     * anything. A refusal is a result, not a failure: thrown, it would roll back the records of the whole batch and
     * make every caller in it run again alone.
     */
    private record Outcome(CertificateRecord stored, RuntimeException refusal) {
        static Outcome refused(RuntimeException refusal) {
            return new Outcome(null, refusal);
        }

        /** @return the stored record, once committed; throws the refusal */
        CertificateRecord get() {
            if (refusal != null) {
                throw refusal;
            }
            return stored;
        }
    }

    /** A device's id and current serial (null before its first certificate is recorded). */
    private record Current(long id, String serial) {
    }

    /**
     * The enrollment hot path, on JDBI's core API with hand-written row mapping (no SqlObject proxy, no reflective
     * mapper): three statements and a commit, and one more read when a client certificate of this CA is to be
     * checked for revocation. A new device is inserted with its current serial already set; an existing one gets a
     * compare-and-set on its current serial. Profiled: the SqlObject version (four statements, a ConstructorMapper
     * per query) cost more CPU than the CA signature. Refusals are decided before the first write.
     */
    private static Outcome record(Handle handle, CertificateRecord certificate, OnDuplicate onDuplicate,
                                  String presentedBy) {
        if (presentedBy != null && isRevoked(handle, certificate.issuer(), presentedBy)) {
            return Outcome.refused(new RevokedCertificateException(presentedBy));
        }
        Instant now = certificate.issuedAt();
        Optional<Current> found = handle.createQuery(FIND_DEVICE).bind("subject", certificate.subject())
                .map((rs, ctx) -> new Current(rs.getLong(1), rs.getString(2))).findOne();
        String previous = found.map(Current::serial).orElse(null);
        if (previous != null && onDuplicate != OnDuplicate.ALLOW) {
            RegistryDao dao = handle.attach(RegistryDao.class);
            Optional<CertificateRecord> current = dao.findCertificate(certificate.issuer(), previous);
            boolean valid = current.isPresent() && !current.get().revoked() && current.get().notAfter().isAfter(now);
            if (valid && onDuplicate == OnDuplicate.REJECT) {
                return Outcome.refused(new DuplicateCertificateException(previous));
            }
            if (valid) {
                dao.revoke(certificate.issuer(), previous, SUPERSEDED, now);
            }
        }
        long deviceId = found.isPresent() ? found.get().id()
                : handle.createUpdate(INSERT_DEVICE).bind("subject", certificate.subject())
                        .bind("serial", certificate.serial()).bind("now", now)
                        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        CertificateRecord stored = new CertificateRecord(certificate.serial(), certificate.issuer(), deviceId,
                certificate.subject(), certificate.san(), certificate.notBefore(), certificate.notAfter(),
                certificate.pem(), certificate.principal(), certificate.authMethod(), certificate.clientIp(),
                certificate.label(), certificate.operation(), now, certificate.renewalOf(), CertificateRecord.VALID,
                null, null);
        handle.createUpdate(INSERT_CERTIFICATE)
                .bind("serial", stored.serial()).bind("issuer", stored.issuer()).bind("deviceId", deviceId)
                .bind("subject", stored.subject()).bind("san", stored.san()).bind("notBefore", stored.notBefore())
                .bind("notAfter", stored.notAfter()).bind("pem", stored.pem()).bind("principal", stored.principal())
                .bind("authMethod", stored.authMethod()).bind("clientIp", stored.clientIp())
                .bind("label", stored.label()).bind("operation", stored.operation()).bind("issuedAt", now)
                .bind("renewalOf", stored.renewalOf()).bind("status", stored.status())
                .execute();
        if (found.isPresent() && handle.createUpdate(SET_CURRENT).bind("id", deviceId)
                .bind("serial", certificate.serial()).bind("expected", previous).bind("now", now).execute() != 1) {
            throw new ConcurrentChangeException();
        }
        return new Outcome(stored, null);
    }

    /**
     * Records an issued certificate, allowing duplicates (renewals).
     *
     * @param certificate the certificate
     * @return the stored record
     */
    public CertificateRecord recordIssued(CertificateRecord certificate) {
        return recordIssued(certificate, OnDuplicate.ALLOW);
    }

    /**
     * @param subject subject DN (RFC 2253)
     * @param issuer issuer DN
     * @param now the time
     * @return the device's current certificate if it is valid (not revoked, not expired)
     */
    public Optional<CertificateRecord> currentValid(String subject, String issuer, Instant now) {
        return jdbi.withExtension(RegistryDao.class, dao -> dao.findDevice(subject)
                .map(DeviceRecord::currentSerial)
                .flatMap(serial -> dao.findCertificate(issuer, serial))
                .filter(c -> !c.revoked() && c.notAfter().isAfter(now)));
    }

    /**
     * Finds or creates the pending record of a held request.
     *
     * @param request the request (id and status are ignored)
     * @return the stored record, possibly created earlier by an identical request
     */
    public PendingRequest holdRequest(PendingRequest request) {
        for (int attempt = 1;; attempt++) {
            try {
                return jdbi.inTransaction(handle -> {
                    RegistryDao dao = handle.attach(RegistryDao.class);
                    Optional<PendingRequest> existing = dao.findPending(request.profile(), request.csrSha256());
                    if (existing.isPresent()) {
                        return existing.get();
                    }
                    long id = dao.insertPending(request);
                    return dao.findPending(id).orElseThrow();
                });
            } catch (UnableToExecuteStatementException e) {
                if (attempt >= ATTEMPTS || !isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * @param profile profile name
     * @param csrSha256 hex SHA-256 of the CSR
     * @return the held request, if any
     */
    public Optional<PendingRequest> findPending(String profile, String csrSha256) {
        return jdbi.withExtension(RegistryDao.class, dao -> dao.findPending(profile, csrSha256));
    }

    /**
     * @param id pending request id
     * @return the request
     */
    public Optional<PendingRequest> findPending(long id) {
        return jdbi.withExtension(RegistryDao.class, dao -> dao.findPending(id));
    }

    /**
     * @param status a status
     * @return held requests in that status, oldest first
     */
    public List<PendingRequest> pendingByStatus(String status) {
        return jdbi.withExtension(RegistryDao.class, dao -> dao.pendingByStatus(status));
    }

    /**
     * Approves or rejects a pending request.
     *
     * @param id request id
     * @param approve true to approve
     * @param by who decided
     * @return true if it was pending and is now decided
     */
    public boolean decide(long id, boolean approve, String by) {
        return jdbi.withExtension(RegistryDao.class, dao -> dao.decide(id,
                approve ? PendingRequest.APPROVED : PendingRequest.REJECTED, by, Instant.now())) == 1;
    }

    /**
     * @param id an approved request
     * @param serial the certificate issued for it
     * @return true if it was approved and is now marked issued
     */
    public boolean markIssued(long id, String serial) {
        return jdbi.withExtension(RegistryDao.class, dao -> dao.markIssued(id, serial)) == 1;
    }

    /**
     * @param issuer issuer DN (RFC 2253)
     * @param serial serial, upper-case hex
     * @return the certificate, read from the database (never a cache)
     */
    public Optional<CertificateRecord> findCertificate(String issuer, String serial) {
        return jdbi.withExtension(RegistryDao.class, dao -> dao.findCertificate(issuer, serial));
    }

    /**
     * A revocation check ahead of recording (enrollments check it in their recording transaction, see
     * {@link #recordIssued(CertificateRecord, OnDuplicate, String)}): one indexed lookup of one column, read from the
     * database (never a cache), so a revocation on any node is seen at once.
     *
     * @param issuer issuer DN (RFC 2253)
     * @param serial serial, upper-case hex
     * @return true if the registry holds that certificate as revoked (false if it is valid or unknown)
     */
    public boolean isRevoked(String issuer, String serial) {
        return jdbi.withHandle(handle -> isRevoked(handle, issuer, serial));
    }

    private static boolean isRevoked(Handle handle, String issuer, String serial) {
        return handle.createQuery(STATUS).bind("issuer", issuer).bind("serial", serial).mapTo(String.class).findOne()
                .map(CertificateRecord.REVOKED::equals).orElse(false);
    }

    /**
     * @param subject subject DN (RFC 2253)
     * @return the device
     */
    public Optional<DeviceRecord> findDevice(String subject) {
        return jdbi.withExtension(RegistryDao.class, dao -> dao.findDevice(subject));
    }

    /**
     * @param deviceId a device
     * @return its certificates, oldest first
     */
    public List<CertificateRecord> certificatesOf(long deviceId) {
        return jdbi.withExtension(RegistryDao.class, dao -> dao.certificatesOf(deviceId));
    }

    /**
     * Revokes a certificate.
     *
     * @param issuer issuer DN
     * @param serial serial
     * @param reason RFC 5280 CRLReason code
     * @return true if it was valid and is now revoked
     */
    public boolean revoke(String issuer, String serial, int reason) {
        return jdbi.withExtension(RegistryDao.class, dao -> dao.revoke(issuer, serial, reason, Instant.now())) == 1;
    }

    /** @return number of certificates recorded */
    public long countCertificates() {
        return jdbi.withExtension(RegistryDao.class, RegistryDao::countCertificates);
    }

    /** @return number of devices recorded */
    public long countDevices() {
        return jdbi.withExtension(RegistryDao.class, RegistryDao::countDevices);
    }

    /**
     * @param from start of the period (exclusive), normally now
     * @param to end of the period (inclusive)
     * @return number of certificates with status VALID (not revoked) whose notAfter falls in the period
     */
    public long countValidExpiring(Instant from, Instant to) {
        return jdbi.withExtension(RegistryDao.class, dao -> dao.countValidExpiring(from, to));
    }

    /**
     * Health probe: a trivial query on a pooled connection.
     *
     * @throws RuntimeException if the database cannot answer
     */
    public void ping() {
        jdbi.withExtension(RegistryDao.class, RegistryDao::ping);
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 5 * attempt + 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** @return true if a unique constraint was violated (SQLSTATE 23505 on HSQLDB and PostgreSQL alike) */
    static boolean isUniqueViolation(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}

