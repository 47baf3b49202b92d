package org.openest.est.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * SQL of one device's view, revocation lists and CRL numbers. Portable between HSQLDB and PostgreSQL. The device
 * lists are built per request by {@link DeviceListSql}.
 */
@RegisterConstructorMapper(DeviceView.class)
@RegisterConstructorMapper(RevokedEntry.class)
interface FleetDao {
    String VIEW = "SELECT d.id, d.subject, d.status, d.current_serial, c.label, c.not_after,"
            + " c.status AS certificate_status, d.created_at, d.updated_at"
            + " FROM device d LEFT JOIN certificate c ON c.device_id = d.id AND c.serial = d.current_serial";

    @SqlQuery(VIEW + " WHERE d.id = :id")
    Optional<DeviceView> device(@Bind("id") long id);

    @SqlQuery("SELECT c.not_after FROM device d JOIN certificate c ON c.device_id = d.id AND c.serial = d.current_serial"
            + " WHERE d.status = 'ACTIVE' AND c.status = 'VALID' AND c.not_after > :from AND c.not_after <= :to")
    List<Instant> currentExpiries(@Bind("from") Instant from, @Bind("to") Instant to);

    @SqlQuery("SELECT serial, revoked_at, revocation_reason FROM certificate WHERE issuer = :issuer"
            + " AND status = 'REVOKED' ORDER BY revoked_at, serial")
    List<RevokedEntry> revoked(@Bind("issuer") String issuer);

    @SqlQuery("SELECT COUNT(*) FROM certificate WHERE issuer = :issuer AND status = 'REVOKED'")
    long countRevoked(@Bind("issuer") String issuer);

    @SqlUpdate("UPDATE certificate SET status = 'REVOKED', revoked_at = :now, revocation_reason = :reason"
            + " WHERE device_id = :id AND status = 'VALID'")
    int revokeAllOf(@Bind("id") long deviceId, @Bind("reason") int reason, @Bind("now") Instant now);

    @SqlUpdate("UPDATE device SET status = 'DELETED', updated_at = :now WHERE id = :id AND status <> 'DELETED'")
    int markDeleted(@Bind("id") long deviceId, @Bind("now") Instant now);

    @SqlQuery("SELECT issuer FROM certificate WHERE serial = :serial")
    List<String> issuersOf(@Bind("serial") String serial);

    @SqlUpdate("UPDATE crl_counter SET crl_number = crl_number + 1 WHERE issuer = :issuer")
    int bumpCrlNumber(@Bind("issuer") String issuer);

    @SqlUpdate("INSERT INTO crl_counter (issuer, crl_number) VALUES (:issuer, 1)")
    void insertCrlNumber(@Bind("issuer") String issuer);

    @SqlQuery("SELECT crl_number FROM crl_counter WHERE issuer = :issuer")
    long crlNumber(@Bind("issuer") String issuer);
}
