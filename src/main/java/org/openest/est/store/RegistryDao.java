package org.openest.est.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL of the device registry. Portable between HSQLDB and PostgreSQL. */
@RegisterConstructorMapper(CertificateRecord.class)
@RegisterConstructorMapper(DeviceRecord.class)
@RegisterConstructorMapper(PendingRequest.class)
interface RegistryDao {

    @SqlQuery("SELECT * FROM device WHERE subject = :subject")
    Optional<DeviceRecord> findDevice(@Bind("subject") String subject);

    @SqlQuery("SELECT * FROM certificate WHERE issuer = :issuer AND serial = :serial")
    Optional<CertificateRecord> findCertificate(@Bind("issuer") String issuer, @Bind("serial") String serial);

    @SqlQuery("SELECT * FROM certificate WHERE device_id = :deviceId ORDER BY issued_at, id")
    List<CertificateRecord> certificatesOf(@Bind("deviceId") long deviceId);

    @SqlUpdate("UPDATE certificate SET status = 'REVOKED', revoked_at = :now, revocation_reason = :reason"
            + " WHERE issuer = :issuer AND serial = :serial AND status <> 'REVOKED'")
    int revoke(@Bind("issuer") String issuer, @Bind("serial") String serial, @Bind("reason") int reason,
               @Bind("now") Instant now);

    @SqlQuery("SELECT * FROM pending_request WHERE profile = :profile AND csr_sha256 = :hash")
    Optional<PendingRequest> findPending(@Bind("profile") String profile, @Bind("hash") String hash);

    @SqlQuery("SELECT * FROM pending_request WHERE id = :id")
    Optional<PendingRequest> findPending(@Bind("id") long id);

    @SqlUpdate("INSERT INTO pending_request (profile, csr_sha256, csr_pem, subject, operation, principal, auth_method,"
            + " client_ip, status, created_at) VALUES (:profile, :csrSha256, :csrPem, :subject, :operation, :principal,"
            + " :authMethod, :clientIp, 'PENDING', :createdAt)")
    @GetGeneratedKeys("id")
    long insertPending(@BindMethods PendingRequest request);

    @SqlUpdate("UPDATE pending_request SET status = :status, decided_at = :now, decided_by = :by"
            + " WHERE id = :id AND status = 'PENDING'")
    int decide(@Bind("id") long id, @Bind("status") String status, @Bind("by") String by, @Bind("now") Instant now);

    @SqlUpdate("UPDATE pending_request SET status = 'ISSUED', serial = :serial WHERE id = :id AND status = 'APPROVED'")
    int markIssued(@Bind("id") long id, @Bind("serial") String serial);

    @SqlQuery("SELECT * FROM pending_request WHERE status = :status ORDER BY created_at, id")
    List<PendingRequest> pendingByStatus(@Bind("status") String status);

    @SqlQuery("SELECT COUNT(*) FROM certificate")
    long countCertificates();

    @SqlQuery("SELECT COUNT(*) FROM device")
    long countDevices();

    @SqlQuery("SELECT COUNT(*) FROM certificate WHERE status = 'VALID' AND not_after > :from AND not_after <= :to")
    long countValidExpiring(@Bind("from") Instant from, @Bind("to") Instant to);

    /** A query that touches no table: VALUES runs on HSQLDB and PostgreSQL alike. */
    @SqlQuery("VALUES (1)")
    int ping();
}
