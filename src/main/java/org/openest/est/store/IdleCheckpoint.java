package org.openest.est.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs an embedded HSQLDB's {@code CHECKPOINT} while the registry is quiet.
 *
 * <p>Why: HSQLDB checkpoints by itself when its redo log reaches 50 MB, and a checkpoint (write the cached rows,
 * sync the data file, start a new log) stops every statement for 100-400 ms on the benchmark machines. Enrollments
 * come in bursts (a gateway renewing its pumps), so the automatic checkpoint tends to fall inside one and every
 * request in flight waits for it. Checkpointing in the quiet time after a burst starts the next one with an empty
 * log. "Quiet" is read off the log file itself: a durable commit always appends to it, so a log whose size has not
 * changed for one tick has seen no write; and no other session may be inside a transaction (a long read).
 */
final class IdleCheckpoint implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(IdleCheckpoint.class);
    /** Below this much log a checkpoint is not worth its own pause (replaying it at start takes milliseconds). */
    static final long MIN_LOG_BYTES = 1L << 20;
    /** How long the log must stay unchanged: half a second without a commit is no burst (at 1 000/s, 500 commits). */
    static final Duration TICK = Duration.ofMillis(500);
    private static final String FILE_PREFIX = "jdbc:hsqldb:file:";

    private final DataSource dataSource;
    private final Path log;
    private final long minLogBytes;
    private final OwnedThreads timerThread = OwnedThreads.named("est-idle-checkpoint");
    private final ScheduledExecutorService timer;
    private long lastSize = -1;
    private volatile int checkpoints;

    /**
     * Starts the timer.
     *
     * @param dataSource the database
     * @param log the database's redo log ({@code <files>.log})
     * @param minLogBytes the least log worth a checkpoint
     * @param tick how long the log must stay unchanged, and how often it is looked at
     */
    IdleCheckpoint(DataSource dataSource, Path log, long minLogBytes, Duration tick) {
        this.dataSource = dataSource;
        this.log = log;
        this.minLogBytes = minLogBytes;
        this.timer = Executors.newSingleThreadScheduledExecutor(timerThread);
        timer.scheduleWithFixedDelay(this::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * @param url a JDBC URL
     * @return the redo log of a file HSQLDB ({@code jdbc:hsqldb:file:<files>;...} gives {@code <files>.log}), empty
     *         for any other database
     */
    static Optional<Path> logOf(String url) {
        if (!url.startsWith(FILE_PREFIX)) {
            return Optional.empty();
        }
        String files = url.substring(FILE_PREFIX.length());
        int semicolon = files.indexOf(';');
        return Optional.of(Path.of((semicolon < 0 ? files : files.substring(0, semicolon)) + ".log"));
    }

    /** @return how many checkpoints this object has run */
    int checkpoints() {
        return checkpoints;
    }

    private void tick() {
        long size = size();
        boolean quiet = size == lastSize;
        lastSize = size;
        if (!quiet || size < minLogBytes) {
            return;
        }
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (othersInTransaction(statement)) {
                return; // tried again at the next tick if the log is still unchanged
            }
            statement.execute("CHECKPOINT");
            checkpoints++;
            LOG.info("Idle checkpoint: {} KB of redo log written to the data file in {} ms", size / 1024,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (SQLException | RuntimeException e) {
            // Nothing is lost: HSQLDB still checkpoints by itself when the log is full.
            LOG.warn("Idle checkpoint failed: {}", e.toString());
        }
        lastSize = size();
    }

    /**
     * Whether another session is inside a transaction, e.g. a long read. Why it matters: the log does not grow while
     * an admin's report reads a big registry, but a CHECKPOINT waits for that read to end and every enrollment waits
     * for the CHECKPOINT; with a million rows that stopped enrollment for 30-60 s.
     */
    private static boolean othersInTransaction(Statement statement) throws SQLException {
        try (ResultSet busy = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SYSTEM_SESSIONS"
                + " WHERE SESSION_ID <> SESSION_ID() AND \"TRANSACTION\"")) {
            return busy.next() && busy.getLong(1) > 0;
        }
    }

    private long size() {
        try {
            return Files.size(log);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Stops the timer, waiting for a checkpoint under way. Not by interrupting it: an interrupt closes the NIO channel
     * HSQLDB is writing its data file through.
     */
    @Override
    public void close() {
        timer.shutdown();
        try {
            if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Idle checkpoint still running after 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timerThread.awaitExit();
    }
}
