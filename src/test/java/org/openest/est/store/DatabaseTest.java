package org.openest.est.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openest.est.config.ConfigLoader;

/** Opening and closing the registry database the way a deploy and an undeploy do. */
class DatabaseTest {
    @TempDir
    Path home;

    static String property(Database database, String name) {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT property_value FROM information_schema.system_properties WHERE property_name = :name")
                .bind("name", name).mapTo(String.class).one());
    }

    /** The embedded registry's row cache is 2 MB, new or upgraded (why: db/vendor/hsqldb/V6__row_cache.sql). */
    @Test
    void theEmbeddedRegistryKeepsASmallRowCache() throws Exception {
        Path fresh = home.resolve("fresh").resolve("est");
        assertSmallRowCache(fresh);
        // A database created by an earlier version, with HSQLDB's default cache: the migration sets it.
        Path older = home.resolve("older").resolve("est");
        try (Connection connection = DriverManager.getConnection("jdbc:hsqldb:file:" + older, "SA", "");
             Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        }
        assertSmallRowCache(older);
    }

    /** Opens the embedded registry on these files and checks its row cache settings. */
    static void assertSmallRowCache(Path files) {
        try (Database database = Database.open("", ConfigLoader.embeddedDatabaseUrl(files), "SA", new char[0], 2)) {
            assertThat(property(database, "hsqldb.cache_size")).isEqualTo("2000");
            assertThat(property(database, "hsqldb.cache_rows")).isEqualTo("10000");
        }
    }

    /** Threads of the pool still alive: the ones Tomcat reports as a leak when it stops the webapp. */
    static List<String> livePoolThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("est-db")).toList();
    }

    /**
     * Why: Tomcat checks for threads the webapp left running right after it stops it. HikariCP's close waits for
     * its executors to terminate, but a worker can still be exiting at that moment (CI saw
     * "est-db:connection-closer" reported once). Close returns only when every pool thread has ended.
     */
    @Test
    void closeLeavesNoPoolThreadRunning() throws InterruptedException {
        String url = "jdbc:hsqldb:mem:" + UUID.randomUUID() + ";hsqldb.tx=mvcc";
        // Busy threads on every core, as on a loaded server, so that an exiting pool thread waits for a CPU.
        OwnedThreadsTest.BusyCores busy = OwnedThreadsTest.BusyCores.start();
        try {
            for (int round = 0; round < 40; round++) {
                Database database = Database.open("", url, "SA", new char[0], 4);
                database.jdbi().useHandle(handle -> handle.execute("CHECKPOINT"));
                database.close();
                assertThat(livePoolThreads()).as("round %d", round).isEmpty();
            }
        } finally {
            busy.stop();
        }
    }
}
