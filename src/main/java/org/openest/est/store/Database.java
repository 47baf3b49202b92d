package org.openest.est.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * Opens the registry database: the container's JNDI DataSource when one is bound, else a HikariCP pool over the
 * configured JDBC URL (embedded HSQLDB by default). Migrates the schema with Flyway before anything else touches it.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Database.class);
    private static final int LOCK_WAIT_SECONDS = 25;

    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final OwnedThreads poolThreads;
    private final Jdbi jdbi;
    private final String description;
    private IdleCheckpoint idleCheckpoint;

    private Database(DataSource dataSource, HikariDataSource ownedPool, OwnedThreads poolThreads, String description) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.poolThreads = poolThreads;
        this.description = description;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
    }

    /**
     * Opens and migrates the database.
     *
     * @param jndiName JNDI name to try first (may be empty)
     * @param url JDBC URL used when no JNDI DataSource is bound
     * @param user database user
     * @param password database password (not logged)
     * @param poolSize maximum pool size for the owned pool
     * @return the open database
     */
    public static Database open(String jndiName, String url, String user, char[] password, int poolSize) {
        Database database = lookup(jndiName);
        if (database == null) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            // Name the driver: under Tomcat, DriverManager does not see drivers packed in WEB-INF/lib
            // ("No suitable driver"), so HikariCP must load the class through the webapp's class loader.
            driverClassFor(url).ifPresent(config::setDriverClassName);
            config.setUsername(user);
            config.setPassword(new String(password));
            config.setMaximumPoolSize(poolSize);
            config.setMinimumIdle(Math.min(2, poolSize));
            config.setPoolName("est-db");
            config.setAutoCommit(true);
            OwnedThreads threads = OwnedThreads.numbered("est-db");
            config.setThreadFactory(threads);
            HikariDataSource pool = openPool(config);
            database = new Database(pool, pool, threads, redact(url));
        }
        try {
            database.migrate();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        if (database.ownedPool != null) {
            // An embedded HSQLDB: checkpoint it while the registry is quiet (see IdleCheckpoint).
            DataSource owned = database.ownedPool;
            database.idleCheckpoint = IdleCheckpoint.logOf(url).map(log -> new IdleCheckpoint(owned, log,
                    IdleCheckpoint.MIN_LOG_BYTES, IdleCheckpoint.TICK)).orElse(null);
        }
        return database;
    }

    /**
     * Opens the pool, waiting out an embedded HSQLDB lock that is still fresh. Why: after a crash (kill -9) or a
     * quick redeploy the old lock file carries a heartbeat younger than HSQLDB's 10 s limit; HSQLDB takes the lock
     * over once the heartbeat is stale, so retrying for a little longer than that recovers without any risk of two
     * live processes sharing the files (a live holder keeps its heartbeat fresh and the start still fails).
     */
    private static HikariDataSource openPool(HikariConfig config) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOCK_WAIT_SECONDS);
        while (true) {
            try {
                return new HikariDataSource(config);
            } catch (RuntimeException e) {
                if (!isHsqldbLockHeld(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.warn("Database files are locked (another process, or one that just died); retrying");
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static boolean isHsqldbLockHeld(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (String.valueOf(cause.getMessage()).contains("lock acquisition failure")) {
                return true;
            }
        }
        return false;
    }

    private static Database lookup(String jndiName) {
        if (jndiName == null || jndiName.isBlank()) {
            return null;
        }
        try {
            Object bound = new InitialContext().lookup(jndiName);
            if (bound instanceof DataSource dataSource) {
                return new Database(dataSource, null, null, "JNDI " + jndiName);
            }
            LOG.warn("JNDI {} is bound to {}, not a DataSource; using database.url", jndiName, bound.getClass());
        } catch (NamingException e) {
            LOG.debug("No JNDI DataSource at {}: {}", jndiName, e.toString());
        }
        return null;
    }

    private void migrate() {
        Flyway.configure(Database.class.getClassLoader())
                .dataSource(dataSource)
                // Common migrations, plus the ones for this database only (e.g. PostgreSQL's trigram search index).
                .locations("classpath:db/migration", "classpath:db/vendor/" + vendor())
                .load()
                .migrate();
        LOG.info("Registry database ready: {}", description);
    }

    /** @return "postgresql", "hsqldb", ...: the folder of db/vendor with this database's own migrations */
    private String vendor() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
                    .replaceAll("[^a-z0-9]", "").replace("hsqldatabaseengine", "hsqldb");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database product name", e);
        }
    }

    /** @return the Jdbi over this database */
    public Jdbi jdbi() {
        return jdbi;
    }

    /** @return the registry */
    public Registry registry() {
        return new Registry(jdbi);
    }

    /** @return a human-readable description of where the data lives (no password) */
    public String description() {
        return description;
    }

    /**
     * Closes the pool this object owns; an embedded HSQLDB is shut down cleanly first so its files are consistent and
     * its lock is released (a redeploy can open it again). A container DataSource is left to the container.
     */
    @Override
    public void close() {
        if (ownedPool == null) {
            return;
        }
        if (idleCheckpoint != null) {
            idleCheckpoint.close();
        }
        if (ownedPool.getJdbcUrl().startsWith("jdbc:hsqldb:file:")) {
            try (Connection connection = ownedPool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (SQLException e) {
                LOG.warn("HSQLDB shutdown failed: {}", e.getMessage());
            }
        }
        ownedPool.close();
        // HikariCP's close waits for its executors to terminate, not for their threads to end: one can still be
        // exiting when Tomcat looks for threads the stopped webapp left running, and it reports a leak.
        poolThreads.awaitExit();
        deregisterOwnDrivers();
    }

    private static java.util.Optional<String> driverClassFor(String url) {
        if (url.startsWith("jdbc:hsqldb:")) {
            return java.util.Optional.of("org.hsqldb.jdbc.JDBCDriver");
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return java.util.Optional.of("org.postgresql.Driver");
        }
        return java.util.Optional.empty();
    }

    /**
     * Deregisters the JDBC drivers this webapp's class loader registered, so a redeploy does not leak the old
     * class loader (Tomcat warns about it otherwise).
     */
    private static void deregisterOwnDrivers() {
        ClassLoader own = Database.class.getClassLoader();
        if (own == ClassLoader.getSystemClassLoader()) {
            return; // not a webapp class loader (embedded use, tests): the drivers belong to the whole JVM
        }
        for (java.sql.Driver driver : java.util.Collections.list(java.sql.DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == own) {
                try {
                    java.sql.DriverManager.deregisterDriver(driver);
                } catch (SQLException e) {
                    LOG.warn("Cannot deregister JDBC driver {}: {}", driver.getClass().getName(), e.getMessage());
                }
            }
        }
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }
}
