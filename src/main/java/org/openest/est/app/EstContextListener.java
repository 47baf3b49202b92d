package org.openest.est.app;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.security.auth.x500.X500Principal;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openest.est.ca.CaMaterial;
import org.openest.est.ca.CertificateAuthority;
import org.openest.est.ca.Crypto;
import org.openest.est.ca.DevPki;
import org.openest.est.ca.KeyFilePermissions;
import org.openest.est.ca.LocalCa;
import org.openest.est.config.ConfigException;
import org.openest.est.config.ConfigLoader;
import org.openest.est.config.EstConfig;
import org.openest.est.enroll.EnrollmentProfile;
import org.openest.est.enroll.EnrollmentService;
import org.openest.est.enroll.IssuancePolicy;
import org.openest.est.guard.EnrollmentGate;
import org.openest.est.guard.EnrollmentRateLimit;
import org.openest.est.guard.ForwardedCertificates;
import org.openest.est.guard.LoginThrottle;
import org.openest.est.guard.TrustedProxies;
import org.openest.est.http.AdminEndpoint;
import org.openest.est.http.CallerResolver;
import org.openest.est.http.EstEndpoint;
import org.openest.est.http.OpsEndpoint;
import org.openest.est.ops.EstMetrics;
import org.openest.est.ops.HealthCheck;
import org.openest.est.ops.InFlightRequests;
import org.openest.est.protocol.CertsOnly;
import org.openest.est.protocol.CsrAttributes;
import org.openest.est.protocol.CsrDecoder;
import org.openest.est.revoke.CrlPublisher;
import org.openest.est.revoke.FleetService;
import org.openest.est.revoke.OcspResponder;
import org.openest.est.store.Database;
import org.openest.est.store.Fleet;
import org.openest.est.store.OwnedThreads;
import org.openest.est.store.Registry;

/**
 * Builds the application when the webapp starts: configuration, CA, registry, services. Any failure fails the
 * deployment with a message naming the cause (a half-configured CA server must not answer).
 */
public final class EstContextListener implements ServletContextListener {
    private static final Logger LOG = LogManager.getLogger(EstContextListener.class);
    /** Servlet context parameter naming an external configuration file. */
    public static final String CONFIG_PARAMETER = "est.config";

    /** Longest wait of /health and /metrics for the database probe (load balancers time out after a few seconds). */
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(3);

    private final InFlightRequests inFlight = new InFlightRequests();
    private Database database;
    private ScheduledExecutorService scheduler;
    private OwnedThreads schedulerThread;
    private HealthCheck health;
    private Duration drain = Duration.ZERO;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        try {
            EstConfig config = ConfigLoader.fromProcess().load(context.getInitParameter(CONFIG_PARAMETER));
            LOG.info("EST server starting; data directory {}", config.home());
            Map<String, CertificateAuthority> cas = new HashMap<>();
            for (Map.Entry<String, EstConfig.Ca> entry : config.cas().entrySet()) {
                List<String> crlUrls = config.revocation().baseUrl()
                        .map(base -> List.of(base + "/crl/" + entry.getKey() + ".crl")).orElse(List.of());
                List<String> ocspUrls = config.revocation().baseUrl().map(base -> List.of(base + "/ocsp"))
                        .orElse(List.of());
                LocalCa ca = new LocalCa(loadCa(entry.getKey(), entry.getValue(), config.home()), crlUrls, ocspUrls);
                LOG.info("CA '{}': {} ({}), valid until {}", entry.getKey(), ca.certificate().getSubjectX500Principal(),
                        Crypto.describe(ca.certificate().getPublicKey()), ca.certificate().getNotAfter().toInstant());
                cas.put(entry.getKey(), ca);
            }
            EstConfig.Database db = config.database();
            database = Database.open(db.jndiName(), db.url(), db.user(), db.password(), db.poolSize());
            Registry registry = database.registry();
            CsrDecoder decoder = new CsrDecoder(Crypto.provider());
            EnrollmentService enrollment = new EnrollmentService(registry, decoder, config.auth());
            Map<String, EnrollmentProfile> byLabel = new HashMap<>();
            Map<String, EnrollmentProfile> byName = new HashMap<>();
            for (EstConfig.Profile settings : config.profiles()) {
                CertificateAuthority ca = cas.get(settings.ca());
                Optional<byte[]> csrAttrs;
                try {
                    csrAttrs = CsrAttributes.encode(settings.csrAttrs());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("profile " + settings.name() + ": " + e.getMessage(), e);
                }
                EnrollmentProfile profile = new EnrollmentProfile(settings, ca, new IssuancePolicy(settings.issuance()),
                        CertsOnly.encode(ca.chain()), csrAttrs);
                byLabel.put(settings.label(), profile);
                byName.put(settings.name(), profile);
                LOG.info("Profile '{}' at /.well-known/est/{} (CA '{}', encoding {}, approval {}, duplicates {})",
                        settings.name(), settings.label().isEmpty() ? "" : settings.label() + "/", settings.ca(),
                        settings.enroll().encoding(), settings.enroll().manualApproval() ? "manual" : "auto",
                        settings.enroll().duplicate());
            }
            Optional<EnrollmentProfile> bootstrap = config.bootstrapProfile().map(byName::get)
                    .or(() -> Optional.of(byName.get(EstConfig.DEFAULT)).filter(p -> p.settings().enroll().bootstrap()));
            health = new HealthCheck(registry, List.copyOf(cas.values()), HEALTH_TIMEOUT);
            EstMetrics metrics = new EstMetrics(registry, health, Clock.systemUTC());
            EstConfig.Limits limits = config.limits();
            LongSupplier millis = () -> System.nanoTime() / 1_000_000;
            TrustedProxies proxies = trustedProxies(config.http().trustedProxies());
            List<X509Certificate> ourCas = cas.values().stream().flatMap(ca -> ca.chain().stream()).distinct()
                    .toList();
            CallerResolver callers = new CallerResolver(config.auth().enrollRole(),
                    new LoginThrottle(limits.maxFailuresPerUser(), limits.maxFailuresPerIp(), limits.failureWindow(),
                            limits.lockout(), limits.trackedClients(), millis),
                    proxies, new ForwardedCertificates(proxies, ourCas, Clock.systemUTC()), metrics,
                    config.auth().credentialCacheSeconds());
            EnrollmentRateLimit enrollmentLimit = new EnrollmentRateLimit(limits.enrollmentsPerMinute(),
                    limits.trackedClients(), millis);
            EnrollmentGate gate = new EnrollmentGate(config.http().concurrentEnrollments(),
                    config.http().enrollmentQueueSeconds() * 1000L);
            metrics.admission(gate);
            context.setAttribute(EstEndpoint.ATTRIBUTE, new EstEndpoint(enrollment, decoder, Map.copyOf(byLabel),
                    bootstrap, config.http(), config.auth(), callers, enrollmentLimit, metrics, gate));
            Fleet fleet = new Fleet(database.jdbi());
            Map<String, CrlPublisher> crls = new HashMap<>();
            for (Map.Entry<String, CertificateAuthority> entry : cas.entrySet()) {
                crls.put(entry.getValue().certificate().getSubjectX500Principal().getName(X500Principal.RFC2253),
                        new CrlPublisher(entry.getKey(), entry.getValue(), fleet,
                                Duration.ofHours(config.revocation().crlValidityHours())));
            }
            FleetService fleetService = new FleetService(fleet, database.registry(), crls,
                    config.revocation().expiryWindowDays());
            context.setAttribute(AdminEndpoint.ATTRIBUTE, new AdminEndpoint(enrollment, fleetService,
                    new OcspResponder(List.copyOf(cas.values()), database.registry())));
            schedulerThread = OwnedThreads.named("est-scheduler");
            scheduler = Executors.newSingleThreadScheduledExecutor(schedulerThread);
            long crlMinutes = Math.max(1, config.revocation().crlValidityHours() * 60L / 2);
            scheduler.scheduleAtFixedRate(fleetService::refreshCrls, crlMinutes, crlMinutes, TimeUnit.MINUTES);
            scheduler.scheduleAtFixedRate(fleetService::logExpirySummary, 1, 24 * 60, TimeUnit.MINUTES);
            context.setAttribute(OpsEndpoint.ATTRIBUTE, new OpsEndpoint(health, metrics, inFlight));
            drain = Duration.ofSeconds(config.http().drainSeconds());
            if (!proxies.isEmpty()) {
                LOG.info("Trusted proxies (forwarded client certificates and X-Forwarded-For): {}", proxies);
            }
            LOG.info("EST server ready at {}/.well-known/est/", context.getContextPath());
        } catch (RuntimeException | IOException e) {
            LOG.fatal("EST server cannot start: {}", e.getMessage(), e);
            stopScheduler();
            closeDatabase();
            throw new IllegalStateException("EST server cannot start: " + e.getMessage(), e);
        }
    }

    private static TrustedProxies trustedProxies(List<String> entries) {
        try {
            return TrustedProxies.parse(entries);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("http.trusted-proxies: " + e.getMessage(), e);
        }
    }

    private static CaMaterial loadCa(String name, EstConfig.Ca ca, java.nio.file.Path home) throws IOException {
        if (ca.keystore().isPresent()) {
            KeyFilePermissions.check(ca.keystore().get(), "CA keystore");
            return CaMaterial.fromPkcs12(ca.keystore().get(), ca.keystorePassword(), ca.keystoreAlias());
        }
        if (ca.certPem().isPresent()) {
            KeyFilePermissions.check(ca.keyPem().get(), "CA key file");
            return CaMaterial.fromPem(ca.certPem().get(), ca.keyPem().get(), ca.chainPem());
        }
        if (!ca.devGenerate()) {
            throw new ConfigException("No CA '" + name
                    + "' configured: set ca.keystore or ca.cert + ca.key (or ca.dev-generate=true)");
        }
        DevPki dev = new DevPki(home);
        if (!dev.hasCa()) {
            LOG.warn("****************************************************************************************");
            LOG.warn("* No CA configured: generating a DEVELOPMENT CA in {}", home);
            LOG.warn("* Do not use it in production; configure ca.keystore or ca.cert + ca.key instead.");
            LOG.warn("****************************************************************************************");
        } else {
            LOG.warn("Using the DEVELOPMENT CA in {} (not for production)", home);
            KeyFilePermissions.check(dev.caKey(), "Development CA key file");
        }
        return dev.ensureCa();
    }

    /**
     * Graceful shutdown. The container stops handing out new requests first and then calls this, after destroying
     * the servlets and filters; a request may still be running on a container thread (Tomcat waits only its
     * Context's unloadDelay, 2 s by default, before destroying servlets). Why we wait here: closing the pool under a
     * request that is recording a certificate would fail its transaction and turn an issuance into a 503. So the
     * database is closed only when no request is left in the filter chain, or after {@code http.drain-seconds}.
     */
    @Override
    public void contextDestroyed(ServletContextEvent event) {
        event.getServletContext().removeAttribute(EstEndpoint.ATTRIBUTE);
        event.getServletContext().removeAttribute(AdminEndpoint.ATTRIBUTE);
        event.getServletContext().removeAttribute(OpsEndpoint.ATTRIBUTE);
        try {
            if (!inFlight.awaitIdle(drain)) {
                LOG.warn("Shutdown: {} request(s) still running after {} s; closing the database anyway",
                        inFlight.running(), drain.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopScheduler();
        closeDatabase();
    }

    private void stopScheduler() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            schedulerThread.awaitExit();
            scheduler = null;
        }
    }

    private void closeDatabase() {
        if (health != null) {
            health.close();
            health = null;
        }
        if (database != null) {
            database.close();
            database = null;
        }
    }
}
