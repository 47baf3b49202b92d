package org.openest.est.ops;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openest.est.ca.CertificateAuthority;
import org.openest.est.store.OwnedThreads;
import org.openest.est.store.Registry;

/**
 * Is the server able to enroll: the registry answers a trivial query and every CA can sign a probe. A failure is
 * logged when the state changes, not on every poll. Thread-safe; {@link #close} stops its probe thread.
 *
 * <p>Why the database probe runs on its own thread with a time limit: when the database is unreachable the pool
 * waits its whole connection timeout (30 s) before it fails, and a load balancer polling every few seconds would
 * pile up request threads behind it. One probe runs at a time; callers arriving while it runs wait for that same
 * probe, each at most the time limit, and then report the database DOWN.
 */
public final class HealthCheck implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(HealthCheck.class);

    private final Registry registry;
    private final List<CertificateAuthority> cas;
    private final Duration timeout;
    private final OwnedThreads proberThread = OwnedThreads.named("est-health-probe");
    private final ExecutorService prober = Executors.newSingleThreadExecutor(proberThread);
    private final AtomicBoolean databaseWasUp = new AtomicBoolean(true);
    private final AtomicBoolean caWasUp = new AtomicBoolean(true);
    private Future<?> probe;

    /**
     * The result of one check.
     *
     * @param database the registry database answered
     * @param ca every CA signed its probe
     */
    public record Health(boolean database, boolean ca) {
        /** @return true if everything is up */
        public boolean up() {
            return database && ca;
        }
    }

    /**
     * @param registry the registry
     * @param cas every configured CA
     * @param timeout longest wait for the database probe
     */
    public HealthCheck(Registry registry, List<CertificateAuthority> cas, Duration timeout) {
        this.registry = registry;
        this.cas = List.copyOf(cas);
        this.timeout = timeout;
    }

    /** @return the current health */
    public Health check() {
        boolean database = databaseAnswers();
        boolean ca = true;
        for (CertificateAuthority authority : cas) {
            try {
                authority.selfTest();
            } catch (RuntimeException e) {
                ca = false;
                if (caWasUp.get()) {
                    LOG.warn("Health: CA {} DOWN: {}", authority.certificate().getSubjectX500Principal(),
                            e.getMessage());
                }
            }
        }
        if (ca && !caWasUp.get()) {
            LOG.info("Health: CA UP again");
        }
        caWasUp.set(ca);
        return new Health(database, ca);
    }

    private boolean databaseAnswers() {
        Future<?> running;
        synchronized (this) {
            if (probe == null || probe.isDone()) {
                probe = prober.submit(registry::ping);
            }
            running = probe;
        }
        String failure;
        try {
            running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!databaseWasUp.getAndSet(true)) {
                LOG.info("Health: registry database UP again");
            }
            return true;
        } catch (TimeoutException e) {
            failure = "no answer within " + timeout.toMillis() + " ms";
        } catch (ExecutionException e) {
            failure = String.valueOf(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        if (databaseWasUp.getAndSet(false)) {
            LOG.warn("Health: registry database DOWN: {}", failure);
        }
        return false;
    }

    /** Stops the probe thread (at undeploy). */
    @Override
    public void close() {
        prober.shutdownNow();
        proberThread.awaitExit();
    }
}
