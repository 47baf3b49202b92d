package org.openest.est.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void aRevokedClientCertificateRecordsNothing() {
        registry.recordIssued(certificate("0B", "CN=pump", null));
        CertificateRecord renewal = certificate("0C", "CN=pump", "0B");
        assertThat(registry.recordIssued(renewal, Registry.OnDuplicate.ALLOW, "0B").serial()).isEqualTo("0C");
        registry.revoke("CN=CA", "0C", 1);

        assertThatThrownBy(() -> registry.recordIssued(certificate("0D", "CN=pump", "0C"), Registry.OnDuplicate.ALLOW,
                "0C")).isInstanceOf(RevokedCertificateException.class).hasMessageContaining("0C");
        assertThat(registry.findCertificate("CN=CA", "0D")).isEmpty();
        assertThat(registry.findDevice("CN=pump").orElseThrow().currentSerial()).isEqualTo("0C");
        // A client certificate the registry does not hold (an RA certificate made by est-admin) is not revoked.
        assertThat(registry.recordIssued(certificate("0E", "CN=other", null), Registry.OnDuplicate.ALLOW, "99")
                .serial()).isEqualTo("0E");
    }

    /**
     * Refusals (a revoked client, a duplicate) and records share group-commit transactions: each caller gets its own
     * outcome, and a refusal neither records anything nor costs another caller its record.
     */
    @Test
    void refusalsInASharedTransactionAreTheirCallersOnly() throws Exception {
        registry.recordIssued(certificate("0F", "CN=revoked-pump", null));
        registry.revoke("CN=CA", "0F", 1);
        registry.recordIssued(certificate("1F", "CN=holder", null));
        ExecutorService pool = Executors.newFixedThreadPool(24);
        try {
            for (int round = 0; round < 10; round++) {
                List<Future<CertificateRecord>> recorded = new ArrayList<>();
                List<Future<CertificateRecord>> refused = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    String serial = String.format("%02X%02X", round, i);
                    recorded.add(pool.submit(() -> registry.recordIssued(certificate("A" + serial, "CN=ok-" + serial,
                            null), Registry.OnDuplicate.REJECT, "1F")));
                    refused.add(pool.submit(() -> registry.recordIssued(certificate("B" + serial, "CN=revoked-pump",
                            "0F"), Registry.OnDuplicate.ALLOW, "0F")));
                    refused.add(pool.submit(() -> registry.recordIssued(certificate("C" + serial, "CN=holder", null),
                            Registry.OnDuplicate.REJECT, null)));
                }
                for (Future<CertificateRecord> result : recorded) {
                    assertThat(result.get().subject()).startsWith("CN=ok-");
                }
                for (Future<CertificateRecord> result : refused) {
                    assertThatThrownBy(result::get).cause().isInstanceOfAny(RevokedCertificateException.class,
                            DuplicateCertificateException.class);
                }
            }
        } finally {
            pool.shutdown();
        }
        assertThat(registry.countCertificates()).isEqualTo(2 + 10 * 8);
        assertThat(registry.findDevice("CN=revoked-pump").orElseThrow().currentSerial()).isEqualTo("0F");
        assertThat(registry.findDevice("CN=holder").orElseThrow().currentSerial()).isEqualTo("1F");
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
