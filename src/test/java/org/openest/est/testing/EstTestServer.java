package org.openest.est.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.UserIdentity;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.Session;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.security.Credential;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.openest.est.config.ConfigLoader;

/**
 * The real webapp (src/main/webapp/WEB-INF/web.xml) in embedded Jetty 12 over TLS on an ephemeral port, with client
 * certificates wanted but not needed, a Basic realm "est", and a plain-HTTP connector to prove EST refuses it.
 */
public final class EstTestServer implements AutoCloseable {
    /** Basic user with the enrolling role. */
    public static final String USER = "estuser";
    /** Its password. */
    public static final String PASSWORD = "estpwd";
    /** Basic user without the enrolling role. */
    public static final String OTHER_USER = "viewer";
    /** Its password. */
    public static final String OTHER_PASSWORD = "viewerpwd";
    /** A gateway's Basic user (role est-client). */
    public static final String GATEWAY = "gateway";
    /** Its password. */
    public static final String GATEWAY_PASSWORD = "gatewaypwd";
    /** Admin API user (role est-admin). */
    public static final String ADMIN = "admin";
    /** Its password. */
    public static final String ADMIN_PASSWORD = "adminpwd";

    private final Server server;
    private final ServerConnector tls;
    private final ServerConnector plain;
    private final Path home;
    private final TestPki pki;
    private final CountingLoginService realm;

    private EstTestServer(Server server, ServerConnector tls, ServerConnector plain, Path home, TestPki pki,
                          CountingLoginService realm) {
        this.realm = realm;
        this.server = server;
        this.tls = tls;
        this.plain = plain;
        this.home = home;
        this.pki = pki;
    }

    /**
     * Starts a server whose CA is the test PKI's, with the given extra configuration.
     *
     * @param home data directory (test temp dir)
     * @param pki the test PKI (CA for issuing and for TLS)
     * @param extraConfig configuration keys to add or override
     * @return the started server
     * @throws Exception if it does not start
     */
    public static EstTestServer start(Path home, TestPki pki, Map<String, String> extraConfig) throws Exception {
        Path caCert = pki.writeCaPem(home.resolve("ca"));
        Map<String, String> config = new LinkedHashMap<>();
        config.put("home", home.toString());
        config.put("ca.cert", caCert.toString());
        config.put("ca.key", caCert.resolveSibling("test-ca-key.pem").toString());
        config.putAll(extraConfig);
        StringBuilder text = new StringBuilder();
        config.forEach((key, value) -> text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
        Path configFile = home.resolve("est.properties");
        Files.writeString(configFile, text, StandardCharsets.UTF_8);

        Server server = new Server();
        KeyPair serverKeys = TestPki.ec256();
        X509Certificate serverCert = pki.issueServer(serverKeys);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(TestPki.keyStore(serverKeys.getPrivate(), serverCert, pki.caCertificate()));
        ssl.setKeyStorePassword(new String(TestPki.PASSWORD));
        ssl.setTrustStore(TestPki.trustStore(pki.caCertificate()));
        ssl.setWantClientAuth(true);
        ssl.setIncludeProtocols("TLSv1.2", "TLSv1.3");

        HttpConfiguration https = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector tls = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        tls.setHost("127.0.0.1");
        tls.setPort(0);
        ServerConnector plain = new ServerConnector(server);
        plain.setHost("127.0.0.1");
        plain.setPort(0);
        server.addConnector(tls);
        server.addConnector(plain);

        CountingLoginService login = new CountingLoginService("est");
        UserStore users = new UserStore();
        users.addUser(USER, Credential.getCredential(PASSWORD), new String[] {"est-client"});
        users.addUser(OTHER_USER, Credential.getCredential(OTHER_PASSWORD), new String[] {"est-viewer"});
        users.addUser(ADMIN, Credential.getCredential(ADMIN_PASSWORD), new String[] {"est-admin"});
        users.addUser(GATEWAY, Credential.getCredential(GATEWAY_PASSWORD), new String[] {"est-client"});
        login.setUserStore(users);
        server.addBean(login);

        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setBaseResourceAsPath(Path.of("src/main/webapp").toAbsolutePath());
        webapp.setParentLoaderPriority(true);
        webapp.setThrowUnavailableOnStartupException(true);
        webapp.setInitParameter("est.config", configFile.toString());
        server.setHandler(webapp);
        server.start();
        return new EstTestServer(server, tls, plain, home, pki, login);
    }

    /** @return how many user name and password checks the container realm has done so far (each one a hash) */
    public int realmChecks() {
        return realm.checks.get();
    }

    /**
     * Makes each realm check take this long, like the shipped Tomcat realm's PBKDF2 hash (about 100 ms of CPU).
     *
     * @param millis the time a check takes
     */
    public void slowRealm(long millis) {
        realm.millis = millis;
    }

    /** The test realm, counting its password checks (Tomcat's PBKDF2 realm pays a slow hash for each). */
    private static final class CountingLoginService extends HashLoginService {
        final AtomicInteger checks = new AtomicInteger();
        volatile long millis;

        CountingLoginService(String name) {
            super(name);
        }

        @Override
        public UserIdentity login(String username, Object credentials, Request request,
                                  Function<Boolean, Session> getOrCreateSession) {
            checks.incrementAndGet();
            if (millis > 0) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.login(username, credentials, request, getOrCreateSession);
        }
    }

    /** @return the TLS port */
    public int port() {
        return tls.getLocalPort();
    }

    /** @return "localhost:port" for the Bouncy Castle client */
    public String authority() {
        return "localhost:" + port();
    }

    /**
     * @param path path below /.well-known/est/, e.g. "cacerts"
     * @return the https URI
     */
    public URI est(String path) {
        return URI.create("https://localhost:" + port() + "/.well-known/est/" + path);
    }

    /**
     * @param path path below /.well-known/est/
     * @return the plain-http URI
     */
    public URI plainEst(String path) {
        return URI.create("http://127.0.0.1:" + plain.getLocalPort() + "/.well-known/est/" + path);
    }

    /**
     * @param path path below the context root, e.g. "health"
     * @return the https URI
     */
    public URI root(String path) {
        return URI.create("https://localhost:" + port() + "/" + path);
    }

    /**
     * @param path path below /api/
     * @return the https URI
     */
    public URI api(String path) {
        return URI.create("https://localhost:" + port() + "/api/" + path);
    }

    /**
     * Sets the TLS connector's idle timeout (Jetty's default: 30 s) for connections accepted from now on, so that
     * tests of stalled clients stay short. Established connections keep the timeout they were accepted with.
     *
     * @param timeout the idle timeout
     */
    public void tlsIdleTimeout(Duration timeout) {
        tls.setIdleTimeout(timeout.toMillis());
    }

    /** @return the TLS connector's idle timeout */
    public Duration tlsIdleTimeout() {
        return Duration.ofMillis(tls.getIdleTimeout());
    }

    /** @return the data directory */
    public Path home() {
        return home;
    }

    /** @return the PKI */
    public TestPki pki() {
        return pki;
    }

    /** @return JDBC URL of the server's embedded registry (same JVM, same in-process database) */
    public String jdbcUrl() {
        return ConfigLoader.embeddedDatabaseUrl(home.resolve("db").resolve("est"));
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
