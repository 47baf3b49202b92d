package org.openest.est.app;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openest.est.ca.CaMaterial;
import org.openest.est.ca.Crypto;
import org.openest.est.ca.DevPki;
import org.openest.est.ca.LocalCa;
import org.openest.est.config.ConfigException;
import org.openest.est.config.ConfigLoader;
import org.openest.est.config.EstConfig;
import org.openest.est.enroll.EnrollmentService;
import org.openest.est.enroll.IssuancePolicy;
import org.openest.est.http.EstEndpoint;
import org.openest.est.protocol.CertsOnly;
import org.openest.est.protocol.CsrAttributes;
import org.openest.est.protocol.CsrDecoder;
import org.openest.est.store.Database;

/**
 * Builds the application when the webapp starts: configuration, CA, registry, services. Any failure fails the
 * deployment with a message naming the cause (a half-configured CA server must not answer).
 */
public final class EstContextListener implements ServletContextListener {
    private static final Logger LOG = LogManager.getLogger(EstContextListener.class);
    /** Servlet context parameter naming an external configuration file. */
    public static final String CONFIG_PARAMETER = "est.config";

    private Database database;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        try {
            EstConfig config = ConfigLoader.fromProcess().load(context.getInitParameter(CONFIG_PARAMETER));
            LOG.info("EST server starting; data directory {}", config.home());
            LocalCa ca = new LocalCa(loadCa(config));
            LOG.info("Issuing CA {} ({}), valid until {}", ca.certificate().getSubjectX500Principal(),
                    Crypto.describe(ca.certificate().getPublicKey()), ca.certificate().getNotAfter().toInstant());
            EstConfig.Database db = config.database();
            database = Database.open(db.jndiName(), db.url(), db.user(), db.password(), db.poolSize());
            CsrDecoder decoder = new CsrDecoder(Crypto.provider());
            EnrollmentService enrollment = new EnrollmentService(ca, database.registry(),
                    new IssuancePolicy(config.issuance()), decoder, config.auth());
            Optional<byte[]> csrAttrs;
            try {
                csrAttrs = CsrAttributes.encode(config.csrAttrs());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("csrattrs: " + e.getMessage(), e);
            }
            context.setAttribute(EstEndpoint.ATTRIBUTE, new EstEndpoint(enrollment, decoder,
                    CertsOnly.encode(ca.chain()), csrAttrs, Set.of(), config.http(), config.auth().enrollRole()));
            LOG.info("EST server ready at {}/.well-known/est/", context.getContextPath());
        } catch (RuntimeException | IOException e) {
            LOG.fatal("EST server cannot start: {}", e.getMessage(), e);
            closeDatabase();
            throw new IllegalStateException("EST server cannot start: " + e.getMessage(), e);
        }
    }

    private static CaMaterial loadCa(EstConfig config) throws IOException {
        EstConfig.Ca ca = config.ca();
        if (ca.keystore().isPresent()) {
            return CaMaterial.fromPkcs12(ca.keystore().get(), ca.keystorePassword(), ca.keystoreAlias());
        }
        if (ca.certPem().isPresent()) {
            return CaMaterial.fromPem(ca.certPem().get(), ca.keyPem().get(), ca.chainPem());
        }
        if (!ca.devGenerate()) {
            throw new ConfigException("No CA configured: set ca.keystore or ca.cert + ca.key (or ca.dev-generate=true)");
        }
        DevPki dev = new DevPki(config.home());
        if (!dev.hasCa()) {
            LOG.warn("****************************************************************************************");
            LOG.warn("* No CA configured: generating a DEVELOPMENT CA in {}", config.home());
            LOG.warn("* Do not use it in production; configure ca.keystore or ca.cert + ca.key instead.");
            LOG.warn("****************************************************************************************");
        } else {
            LOG.warn("Using the DEVELOPMENT CA in {} (not for production)", config.home());
        }
        return dev.ensureCa();
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        event.getServletContext().removeAttribute(EstEndpoint.ATTRIBUTE);
        closeDatabase();
    }

    private void closeDatabase() {
        if (database != null) {
            database.close();
            database = null;
        }
    }
}
