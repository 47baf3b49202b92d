package org.openest.est.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry on a real (in-memory) HSQLDB, migrated by Flyway exactly as in production. */
class RegistryTest {
    private Database database;
    private Registry registry;

    @BeforeEach
    void open() {
        database = Database.open("", "jdbc:hsqldb:mem:" + UUID.randomUUID() + ";hsqldb.tx=mvcc", "SA",
                new char[0], 8);
        registry = database.registry();
    }

    @AfterEach
    void close() {
        database.close();
    }

    static CertificateRecord certificate(String serial, String subject, String renewalOf) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new CertificateRecord(serial, "CN=CA", 0, subject, "DNS:x", now, now.plusSeconds(3600), "PEM",
                "estuser", "PASSWORD", "127.0.0.1", "", "simpleenroll", now, renewalOf, "VALID", null, null);
    }

    @Test
    void recordsDevicesAndTheirCurrentCertificate() {
        registry.recordIssued(certificate("01", "CN=a", null));
        registry.recordIssued(certificate("02", "CN=a", "01"));
        registry.recordIssued(certificate("03", "CN=b", null));

        DeviceRecord a = registry.findDevice("CN=a").orElseThrow();
        assertThat(a.currentSerial()).isEqualTo("02");
        assertThat(registry.certificatesOf(a.id())).extracting(CertificateRecord::serial).containsExactly("01", "02");
        assertThat(registry.findCertificate("CN=CA", "02").orElseThrow().renewalOf()).isEqualTo("01");
        assertThat(registry.countDevices()).isEqualTo(2);
        assertThat(registry.countCertificates()).isEqualTo(3);
    }

    @Test
    void revocationIsVisibleImmediatelyAndOnlyOnce() {
        registry.recordIssued(certificate("0A", "CN=r", null));
        assertThat(registry.revoke("CN=CA", "0A", 1)).isTrue();
        assertThat(registry.revoke("CN=CA", "0A", 1)).isFalse();
        CertificateRecord revoked = registry.findCertificate("CN=CA", "0A").orElseThrow();
        assertThat(revoked.revoked()).isTrue();
        assertThat(revoked.revocationReason()).isEqualTo(1);
    }

    @Test
    void concurrentFirstEnrollmentsOfOneSubjectMakeOneDevice() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<CertificateRecord>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String serial = String.format("%02X", i + 0x10);
                results.add(pool.submit(() -> registry.recordIssued(certificate(serial, "CN=race", null))));
            }
            for (Future<CertificateRecord> result : results) {
                result.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(registry.countDevices()).isEqualTo(1);
        assertThat(registry.countCertificates()).isEqualTo(16);
    }

    @Test
    void duplicateSerialIsRejectedByTheDatabase() {
        registry.recordIssued(certificate("FF", "CN=d", null));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> registry.recordIssued(certificate("FF", "CN=e", null)))
                .isInstanceOf(RuntimeException.class);
        assertThat(registry.countCertificates()).isEqualTo(1);
        assertThat(registry.findDevice("CN=e")).as("rolled back with the failed insert").isEmpty();
    }

    @Test
    void countsValidCertificatesExpiringInAPeriodAndAnswersAPing() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        registry.recordIssued(certificate("A1", "CN=soon", null));              // notAfter in one hour
        registry.recordIssued(certificate("A2", "CN=revoked", null));
        registry.revoke("CN=CA", "A2", 1);
        CertificateRecord base = certificate("A3", "CN=later", null);
        registry.recordIssued(new CertificateRecord("A3", "CN=CA", 0, "CN=later", "", now, now.plusSeconds(
                40L * 86400), "PEM", "u", "PASSWORD", "127.0.0.1", "", "simpleenroll", now, null, "VALID", null,
                null));
        registry.recordIssued(new CertificateRecord("A4", "CN=CA", 0, "CN=expired", "", now.minusSeconds(7200),
                now.minusSeconds(3600), "PEM", "u", "PASSWORD", "127.0.0.1", "", "simpleenroll", now, null, "VALID",
                null, null));
        assertThat(base.serial()).isEqualTo("A3");
        assertThat(registry.countValidExpiring(now, now.plusSeconds(30L * 86400))).isEqualTo(1);
        assertThat(registry.countValidExpiring(now, now.plusSeconds(50L * 86400))).isEqualTo(2);
        registry.ping();
        database.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(registry::ping).isInstanceOf(RuntimeException.class);
    }
}
