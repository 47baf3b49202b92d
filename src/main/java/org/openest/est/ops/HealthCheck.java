package org.openest.est.ops;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openest.est.ca.CertificateAuthority;
import org.openest.est.store.Registry;

/**
 * Is the server able to enroll: the registry answers a trivial query and every CA can sign a probe. Runs both
 * checks on every call (a load balancer polling every few seconds costs one pooled query and one signature per CA).
 * A failure is logged when the state changes, not on every poll. Thread-safe.
 */
public final class HealthCheck {
    private static final Logger LOG = LogManager.getLogger(HealthCheck.class);

    private final Registry registry;
    private final List<CertificateAuthority> cas;
    private final AtomicBoolean databaseWasUp = new AtomicBoolean(true);
    private final AtomicBoolean caWasUp = new AtomicBoolean(true);

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
     */
    public HealthCheck(Registry registry, List<CertificateAuthority> cas) {
        this.registry = registry;
        this.cas = List.copyOf(cas);
    }

    /** @return the current health */
    public Health check() {
        boolean database;
        try {
            registry.ping();
            database = true;
        } catch (RuntimeException e) {
            database = false;
            if (databaseWasUp.get()) {
                LOG.warn("Health: registry database DOWN: {}", e.toString());
            }
        }
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
        if (database && !databaseWasUp.get()) {
            LOG.info("Health: registry database UP again");
        }
        if (ca && !caWasUp.get()) {
            LOG.info("Health: CA UP again");
        }
        databaseWasUp.set(database);
        caWasUp.set(ca);
        return new Health(database, ca);
    }
}
