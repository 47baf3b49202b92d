package org.openest.est.store;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
    private final Jdbi jdbi;

    /**
     * @param jdbi a Jdbi with the SqlObject plugin installed, over a migrated database
     */
    public Registry(Jdbi jdbi) {
        this.jdbi = jdbi;
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
     * enrollment. Commits before returning. The duplicate rule is enforced inside the transaction with a
     * compare-and-set on the device's current serial, so it holds across server nodes sharing one database.
     *
     * @param certificate the certificate; {@code deviceId} is ignored and assigned here
     * @param onDuplicate what to do if the subject already holds a valid certificate
     * @return the stored record
     * @throws DuplicateCertificateException if {@code onDuplicate} is REJECT and a valid certificate exists
     */
    public CertificateRecord recordIssued(CertificateRecord certificate, OnDuplicate onDuplicate) {
        for (int attempt = 1;; attempt++) {
            try {
                return jdbi.inTransaction(handle -> {
                    RegistryDao dao = handle.attach(RegistryDao.class);
                    Instant now = certificate.issuedAt();
                    Optional<DeviceRecord> device = dao.findDevice(certificate.subject());
                    long deviceId = device.map(DeviceRecord::id)
                            .orElseGet(() -> dao.insertDevice(certificate.subject(), now));
                    String previous = device.map(DeviceRecord::currentSerial).orElse(null);
                    if (previous != null && onDuplicate != OnDuplicate.ALLOW) {
                        Optional<CertificateRecord> current = dao.findCertificate(certificate.issuer(), previous);
                        boolean valid = current.isPresent() && !current.get().revoked()
                                && current.get().notAfter().isAfter(now);
                        if (valid && onDuplicate == OnDuplicate.REJECT) {
                            throw new DuplicateCertificateException(previous);
                        }
                        if (valid) {
                            dao.revoke(certificate.issuer(), previous, SUPERSEDED, now);
                        }
                    }
                    CertificateRecord stored = new CertificateRecord(certificate.serial(), certificate.issuer(),
                            deviceId, certificate.subject(), certificate.san(), certificate.notBefore(),
                            certificate.notAfter(), certificate.pem(), certificate.principal(),
                            certificate.authMethod(), certificate.clientIp(), certificate.label(),
                            certificate.operation(), now, certificate.renewalOf(), CertificateRecord.VALID, null, null);
                    dao.insertCertificate(stored);
                    if (dao.setCurrent(deviceId, certificate.serial(), previous, now) != 1) {
                        throw new ConcurrentChangeException();
                    }
                    return stored;
                });
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

