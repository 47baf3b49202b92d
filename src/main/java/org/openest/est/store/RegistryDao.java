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
interface RegistryDao {

    @SqlQuery("SELECT * FROM device WHERE subject = :subject")
    Optional<DeviceRecord> findDevice(@Bind("subject") String subject);

    @SqlUpdate("INSERT INTO device (subject, status, created_at, updated_at) VALUES (:subject, 'ACTIVE', :now, :now)")
    @GetGeneratedKeys("id")
    long insertDevice(@Bind("subject") String subject, @Bind("now") Instant now);

    @SqlUpdate("UPDATE device SET current_serial = :serial, status = 'ACTIVE', updated_at = :now WHERE id = :id")
    void setCurrent(@Bind("id") long id, @Bind("serial") String serial, @Bind("now") Instant now);

    @SqlUpdate("INSERT INTO certificate (serial, issuer, device_id, subject, san, not_before, not_after, pem, principal,"
            + " auth_method, client_ip, label, operation, issued_at, renewal_of, status) VALUES (:serial, :issuer,"
            + " :deviceId, :subject, :san, :notBefore, :notAfter, :pem, :principal, :authMethod, :clientIp, :label,"
            + " :operation, :issuedAt, :renewalOf, :status)")
    void insertCertificate(@BindMethods CertificateRecord certificate);

    @SqlQuery("SELECT * FROM certificate WHERE issuer = :issuer AND serial = :serial")
    Optional<CertificateRecord> findCertificate(@Bind("issuer") String issuer, @Bind("serial") String serial);

    @SqlQuery("SELECT * FROM certificate WHERE device_id = :deviceId ORDER BY issued_at, id")
    List<CertificateRecord> certificatesOf(@Bind("deviceId") long deviceId);

    @SqlUpdate("UPDATE certificate SET status = 'REVOKED', revoked_at = :now, revocation_reason = :reason"
            + " WHERE issuer = :issuer AND serial = :serial AND status <> 'REVOKED'")
    int revoke(@Bind("issuer") String issuer, @Bind("serial") String serial, @Bind("reason") int reason,
               @Bind("now") Instant now);

    @SqlQuery("SELECT COUNT(*) FROM certificate")
    long countCertificates();

    @SqlQuery("SELECT COUNT(*) FROM device")
    long countDevices();
}
