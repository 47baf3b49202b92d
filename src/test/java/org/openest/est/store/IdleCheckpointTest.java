package org.openest.est.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.hsqldb.jdbc.JDBCDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openest.est.config.ConfigLoader;

/** The embedded registry is checkpointed when it goes quiet, never while it is written, and loses nothing. */
class IdleCheckpointTest {
    @TempDir
    Path home;

    static CertificateRecord certificate(int n) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new CertificateRecord(Integer.toHexString(n).toUpperCase() + "A", "CN=CA", 0, "CN=device-" + n,
                "DNS:x", now, now.plusSeconds(3600), "P".repeat(800), "estuser", "PASSWORD", "127.0.0.1", "",
                "simpleenroll", now, null, "VALID", null, null);
    }

    static long size(Path file) throws Exception {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    /**
     * The server's embedded registry on these files: its URL, its redo log, and a plain HSQLDB data source on the same
     * files (the checkpointer's view, as the server's pool would be).
     */
    record Embedded(String url, Path log, JDBCDataSource raw) {
        static Embedded at(Path files) {
            String url = ConfigLoader.embeddedDatabaseUrl(files);
            JDBCDataSource raw = new JDBCDataSource();
            raw.setUrl(url);
            raw.setUser("SA");
            return new Embedded(url, IdleCheckpoint.logOf(url).orElseThrow(), raw);
        }

        /** @return the registry database, opened as the server opens it */
        Database open() {
            return Database.open("", url, "SA", new char[0], 4);
        }
    }

    /** Waits up to 5 s for the checkpointer's first checkpoint (the assertions that follow say whether it came). */
    static void awaitFirstCheckpoint(IdleCheckpoint checkpoint) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (checkpoint.checkpoints() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @Test
    void findsTheLogOfAFileDatabaseOnly() {
        assertThat(IdleCheckpoint.logOf(ConfigLoader.embeddedDatabaseUrl(Path.of("/var/est/db/est"))))
                .hasValue(Path.of("/var/est/db/est.log"));
        assertThat(IdleCheckpoint.logOf("jdbc:hsqldb:file:relative/est")).hasValue(Path.of("relative/est.log"));
        assertThat(IdleCheckpoint.logOf("jdbc:hsqldb:mem:x")).isEmpty();
        assertThat(IdleCheckpoint.logOf("jdbc:postgresql://db/est")).isEmpty();
    }

    @Test
    void theServersDatabaseIsCheckpointedOnceQuiet() throws Exception {
        Embedded db = Embedded.at(home.resolve("db/est"));
        Path log = db.log();
        int n = 0;
        try (Database database = db.open()) {
            Registry registry = database.registry();
            while (size(log) < IdleCheckpoint.MIN_LOG_BYTES + 100_000) {
                registry.recordIssued(certificate(n++));
            }
            long full = size(log);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (size(log) >= full && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(size(log)).as("log after an idle checkpoint, was %d bytes", full)
                    .isLessThan(IdleCheckpoint.MIN_LOG_BYTES / 10);
            assertThat(registry.countCertificates()).isEqualTo(n);
        }
        try (Database reopened = db.open()) {
            assertThat(reopened.registry().countCertificates()).isEqualTo(n);
        }
    }

    @Test
    void neverWhileTheRegistryIsWritten() throws Exception {
        Embedded db = Embedded.at(home.resolve("busy/est"));
        Path log = db.log();
        try (Database busy = db.open()) {
            // A checkpointer with a tiny threshold and a short tick, over a registry written every 20 ms (the
            // database's own checkpointer never fires here: it waits for a megabyte of log).
            Registry registry = busy.registry();
            registry.recordIssued(certificate(0));
            try (IdleCheckpoint checkpoint = new IdleCheckpoint(db.raw(), log, 1024, Duration.ofMillis(500))) {
                List<Long> sizes = new ArrayList<>();
                for (int n = 1; n <= 100; n++) {
                    registry.recordIssued(certificate(n));
                    sizes.add(size(log));
                    Thread.sleep(20);
                }
                assertThat(checkpoint.checkpoints()).as("checkpoints while busy").isZero();
                assertThat(sizes).isSorted();
                awaitFirstCheckpoint(checkpoint);
                assertThat(checkpoint.checkpoints()).as("checkpoints once quiet").isEqualTo(1);
                assertThat(size(log)).isLessThan(sizes.get(sizes.size() - 1));
                Thread.sleep(1200);
                assertThat(checkpoint.checkpoints()).as("no second one for the same quiet log").isEqualTo(1);
            }
            assertThat(registry.countCertificates()).isEqualTo(101);
        }
    }

    /**
     * A long read (an admin's report over a big registry) leaves the log unchanged, yet a CHECKPOINT waits for it and
     * every enrollment then waits for the CHECKPOINT: seen as 30-60 s stalls over a registry of a million rows.
     */
    @Test
    void notWhileAnotherSessionIsInATransaction() throws Exception {
        Embedded db = Embedded.at(home.resolve("reader/est"));
        try (Database database = db.open()) {
            Registry registry = database.registry();
            for (int n = 0; n < 20; n++) {
                registry.recordIssued(certificate(n));
            }
            try (Connection reader = db.raw().getConnection()) {
                reader.setAutoCommit(false);
                try (Statement read = reader.createStatement();
                     ResultSet rows = read.executeQuery("SELECT COUNT(*) FROM certificate")) {
                    assertThat(rows.next()).isTrue();
                }
                try (IdleCheckpoint checkpoint = new IdleCheckpoint(db.raw(), db.log(), 1024, Duration.ofMillis(200))) {
                    Thread.sleep(1000);
                    // The registry is still written while the reader's transaction is open.
                    CompletableFuture<Void> write = CompletableFuture.runAsync(
                            () -> registry.recordIssued(certificate(20)));
                    write.get(2, TimeUnit.SECONDS);
                    Thread.sleep(1000);
                    assertThat(checkpoint.checkpoints()).as("checkpoints during the read").isZero();
                    reader.commit();
                    awaitFirstCheckpoint(checkpoint);
                    assertThat(checkpoint.checkpoints()).as("checkpoints once the read is over").isEqualTo(1);
                }
            }
            assertThat(registry.countCertificates()).isEqualTo(21);
        }
    }
}
