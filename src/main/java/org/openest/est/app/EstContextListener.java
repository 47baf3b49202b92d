package org.openest.est.app;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.openest.est.ca.LocalCa;
import org.openest.est.config.ConfigException;
import org.openest.est.config.ConfigLoader;
import org.openest.est.config.EstConfig;
import org.openest.est.enroll.EnrollmentProfile;
import org.openest.est.enroll.EnrollmentService;
import org.openest.est.enroll.IssuancePolicy;
import org.openest.est.http.AdminEndpoint;
import org.openest.est.http.EstEndpoint;
import org.openest.est.protocol.CertsOnly;
import org.openest.est.protocol.CsrAttributes;
import org.openest.est.protocol.CsrDecoder;
import org.openest.est.revoke.CrlPublisher;
import org.openest.est.revoke.FleetService;
import org.openest.est.revoke.OcspResponder;
import org.openest.est.store.Database;
import org.openest.est.store.Fleet;

/**
 * Builds the application when the webapp starts: configuration, CA, registry, services. Any failure fails the
 * deployment with a message naming the cause (a half-configured CA server must not answer).
 */
public final class EstContextListener implements ServletContextListener {
    private static final Logger LOG = LogManager.getLogger(EstContextListener.class);
    /** Servlet context parameter naming an external configuration file. */
    public static final String CONFIG_PARAMETER = "est.config";

    private Database database;
    private ScheduledExecutorService scheduler;

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
            CsrDecoder decoder = new CsrDecoder(Crypto.provider());
            EnrollmentService enrollment = new EnrollmentService(database.registry(), decoder, config.auth());
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
            context.setAttribute(EstEndpoint.ATTRIBUTE, new EstEndpoint(enrollment, decoder, Map.copyOf(byLabel),
                    bootstrap, config.http(), config.auth()));
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
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "est-scheduler");
                thread.setDaemon(true);
                return thread;
            });
            long crlMinutes = Math.max(1, config.revocation().crlValidityHours() * 60L / 2);
            scheduler.scheduleAtFixedRate(fleetService::refreshCrls, crlMinutes, crlMinutes, TimeUnit.MINUTES);
            scheduler.scheduleAtFixedRate(fleetService::logExpirySummary, 1, 24 * 60, TimeUnit.MINUTES);
            LOG.info("EST server ready at {}/.well-known/est/", context.getContextPath());
        } catch (RuntimeException | IOException e) {
            LOG.fatal("EST server cannot start: {}", e.getMessage(), e);
            stopScheduler();
            closeDatabase();
            throw new IllegalStateException("EST server cannot start: " + e.getMessage(), e);
        }
    }

    private static CaMaterial loadCa(String name, EstConfig.Ca ca, java.nio.file.Path home) throws IOException {
        if (ca.keystore().isPresent()) {
            return CaMaterial.fromPkcs12(ca.keystore().get(), ca.keystorePassword(), ca.keystoreAlias());
        }
        if (ca.certPem().isPresent()) {
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
        }
        return dev.ensureCa();
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        event.getServletContext().removeAttribute(EstEndpoint.ATTRIBUTE);
        event.getServletContext().removeAttribute(AdminEndpoint.ATTRIBUTE);
        stopScheduler();
        closeDatabase();
    }

    private void stopScheduler() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private void closeDatabase() {
        if (database != null) {
            database.close();
            database = null;
        }
    }
}
