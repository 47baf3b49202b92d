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
    private static final int ATTEMPTS = 3;
    private final Jdbi jdbi;

    /**
     * @param jdbi a Jdbi with the SqlObject plugin installed, over a migrated database
     */
    public Registry(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Records an issued certificate and makes it its device's current certificate, creating the device on first
     * enrollment. Commits before returning.
     *
     * @param certificate the certificate; {@code deviceId} is ignored and assigned here
     * @return the stored record
     */
    public CertificateRecord recordIssued(CertificateRecord certificate) {
        for (int attempt = 1;; attempt++) {
            try {
                return jdbi.inTransaction(handle -> {
                    RegistryDao dao = handle.attach(RegistryDao.class);
                    Instant now = certificate.issuedAt();
                    long deviceId = dao.findDevice(certificate.subject()).map(DeviceRecord::id)
                            .orElseGet(() -> dao.insertDevice(certificate.subject(), now));
                    CertificateRecord stored = new CertificateRecord(certificate.serial(), certificate.issuer(),
                            deviceId, certificate.subject(), certificate.san(), certificate.notBefore(),
                            certificate.notAfter(), certificate.pem(), certificate.principal(),
                            certificate.authMethod(), certificate.clientIp(), certificate.label(),
                            certificate.operation(), now, certificate.renewalOf(), CertificateRecord.VALID, null, null);
                    dao.insertCertificate(stored);
                    dao.setCurrent(deviceId, certificate.serial(), now);
                    return stored;
                });
            } catch (UnableToExecuteStatementException e) {
                // Two first enrollments of one subject raced on device_subject_uq: the retry finds the device.
                if (attempt >= ATTEMPTS || !isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
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

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
