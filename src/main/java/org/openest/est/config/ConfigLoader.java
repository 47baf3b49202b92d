package org.openest.est.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.commons.configuration2.CompositeConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.MapConfiguration;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.io.FileHandler;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Reads the configuration: defaults inside the WAR ({@code est-defaults.properties}), overridden by an external
 * properties file, overridden by {@code EST_*} environment variables. Unknown keys and bad values fail with a
 * {@link ConfigException} naming the key.
 */
public final class ConfigLoader {
    private static final Logger LOG = LogManager.getLogger(ConfigLoader.class);
    private static final String DEFAULTS = "est-defaults.properties";
    /** Settings a profile may override as profile.&lt;name&gt;.&lt;key&gt;. */
    private static final List<String> PROFILE_PREFIXES = List.of("issuance.", "enroll.", "serverkeygen.", "csrattrs",
            "http.cte-header");
    private static final Set<String> CA_KEYS = Set.of("keystore", "keystore-password", "keystore-alias", "cert",
            "key", "chain");
    private static final Set<String> KEY_USAGES = Set.of("digitalSignature", "nonRepudiation", "keyEncipherment",
            "dataEncipherment", "keyAgreement");
    private static final Set<String> EKUS = Set.of("clientAuth", "serverAuth", "emailProtection", "codeSigning",
            "timeStamping", "cmcRA");
    private static final List<String> SERVER_KEYS = List.of("ec-p256", "ec-p384", "rsa-2048", "rsa-3072");

    private final Map<String, String> environment;
    private final Function<String, String> systemProperties;

    /**
     * @param environment environment variables (normally {@link System#getenv()})
     * @param systemProperties system property lookup (normally {@link System#getProperty(String)})
     */
    public ConfigLoader(Map<String, String> environment, Function<String, String> systemProperties) {
        this.environment = Map.copyOf(environment);
        this.systemProperties = systemProperties;
    }

    /**
     * The embedded registry used when {@code database.url} is empty: a file HSQLDB, durable (write delay off: one
     * fsync per commit), MVCC, cached tables with a 2 MB row cache (why: db/vendor/hsqldb/V6__row_cache.sql; a URL
     * sets it only when it creates the database). The benchmarks open exactly this URL.
     *
     * @param files the database's file prefix (HSQLDB adds .script, .data, .log ...)
     * @return the JDBC URL
     */
    public static String embeddedDatabaseUrl(Path files) {
        return "jdbc:hsqldb:file:" + files.toAbsolutePath()
                + ";hsqldb.write_delay=false;hsqldb.tx=mvcc;hsqldb.default_table_type=cached"
                + ";hsqldb.cache_size=2000;hsqldb.cache_rows=10000";
    }

    /** @return a loader over the real process environment and system properties */
    public static ConfigLoader fromProcess() {
        return new ConfigLoader(System.getenv(), System::getProperty);
    }

    /**
     * Loads the configuration.
     *
     * @param externalFile explicitly named external file (e.g. a servlet context parameter), or null to use the
     *                     system property {@code est.config} or the environment variable {@code EST_CONFIG}
     * @return the validated configuration
     */
    public EstConfig load(String externalFile) {
        PropertiesConfiguration defaults = readDefaults();
        Set<String> known = new LinkedHashSet<>();
        defaults.getKeys().forEachRemaining(known::add);

        CompositeConfiguration composite = new CompositeConfiguration();
        composite.addConfiguration(new MapConfiguration(environmentOverrides(known)));
        Optional<Path> file = externalPath(externalFile);
        if (file.isPresent()) {
            PropertiesConfiguration external = readFile(file.get());
            composite.addConfiguration(external);
            checkKeys(external, known, composite, file.get());
            LOG.info("Configuration file {}", file.get());
        }
        composite.addConfiguration(defaults);
        return build(composite);
    }

    private static void checkKeys(Configuration external, Set<String> known, Configuration all, Path file) {
        Set<String> profiles = Set.copyOf(list(all, "profiles"));
        Set<String> cas = Set.copyOf(list(all, "cas"));
        for (Iterator<String> keys = external.getKeys(); keys.hasNext();) {
            String key = keys.next();
            if (known.contains(key)) {
                continue;
            }
            String[] parts = key.split("\\.", 3);
            boolean ok = false;
            if (parts.length == 3 && parts[0].equals("profile") && profiles.contains(parts[1])) {
                ok = parts[2].equals("label") || parts[2].equals("ca") || (known.contains(parts[2])
                        && PROFILE_PREFIXES.stream().anyMatch(parts[2]::startsWith));
            } else if (parts.length == 3 && parts[0].equals("ca") && cas.contains(parts[1])) {
                ok = CA_KEYS.contains(parts[2]);
            }
            if (!ok) {
                throw new ConfigException("Unknown configuration key '" + key + "' in " + file);
            }
        }
    }

    private Optional<Path> externalPath(String explicit) {
        String name = firstNonBlank(explicit, systemProperties.apply("est.config"), environment.get("EST_CONFIG"));
        if (name == null) {
            return Optional.empty();
        }
        Path path = Path.of(name);
        if (!Files.isRegularFile(path)) {
            throw new ConfigException("Configuration file est.config=" + name + " does not exist or is not a file");
        }
        return Optional.of(path);
    }

    private Map<String, Object> environmentOverrides(Set<String> known) {
        Map<String, String> byEnvName = new HashMap<>();
        for (String key : known) {
            byEnvName.put("EST_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), key);
        }
        Map<String, Object> overrides = new HashMap<>();
        for (Map.Entry<String, String> env : environment.entrySet()) {
            String key = byEnvName.get(env.getKey());
            if (key != null) {
                overrides.put(key, env.getValue());
            } else if (env.getKey().startsWith("EST_") && !env.getKey().equals("EST_CONFIG")) {
                LOG.warn("Environment variable {} matches no configuration key; ignored", env.getKey());
            }
        }
        return overrides;
    }

    private static PropertiesConfiguration readDefaults() {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new ConfigException(DEFAULTS + " is missing from the class path");
            }
            PropertiesConfiguration config = new PropertiesConfiguration();
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                new FileHandler(config).load(reader);
            }
            return config;
        } catch (IOException | ConfigurationException e) {
            throw new ConfigException("Cannot read " + DEFAULTS, e);
        }
    }

    private static PropertiesConfiguration readFile(Path path) {
        PropertiesConfiguration config = new PropertiesConfiguration();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            new FileHandler(config).load(reader);
            return config;
        } catch (IOException | ConfigurationException e) {
            throw new ConfigException("Cannot read configuration file " + path + ": " + e.getMessage(), e);
        }
    }

    private EstConfig build(Configuration c) {
        Path home = resolveHome(string(c, "home"));
        Map<String, EstConfig.Ca> cas = new LinkedHashMap<>();
        cas.put(EstConfig.DEFAULT, ca(Values.of(c, ""), "ca."));
        for (String name : list(c, "cas")) {
            if (name.equals(EstConfig.DEFAULT) || cas.containsKey(name)) {
                throw new ConfigException("cas: duplicate CA name '" + name + "'");
            }
            EstConfig.Ca extra = ca(Values.of(c, ""), "ca." + name + ".");
            if (extra.keystore().isEmpty() && extra.certPem().isEmpty()) {
                throw new ConfigException("CA '" + name + "' needs ca." + name + ".keystore or ca." + name + ".cert");
            }
            cas.put(name, extra);
        }

        List<EstConfig.Profile> profiles = new ArrayList<>();
        profiles.add(profile(Values.of(c, ""), EstConfig.DEFAULT, "", cas.keySet()));
        Set<String> labels = new HashSet<>();
        for (String name : list(c, "profiles")) {
            if (name.equals(EstConfig.DEFAULT) || profiles.stream().anyMatch(p -> p.name().equals(name))) {
                throw new ConfigException("profiles: duplicate profile name '" + name + "'");
            }
            Values values = Values.of(c, "profile." + name + ".");
            String label = values.get("label");
            Labels.validate(label, "profile." + name + ".label");
            if (!labels.add(label)) {
                throw new ConfigException("profile." + name + ".label: label '" + label + "' is used twice");
            }
            profiles.add(profile(values, name, label, cas.keySet()));
        }
        Optional<String> bootstrap = optional(c, "bootstrap.profile");
        if (bootstrap.isPresent() && profiles.stream().noneMatch(p -> p.name().equals(bootstrap.get()))) {
            throw new ConfigException("bootstrap.profile names no profile: '" + bootstrap.get() + "'");
        }

        EstConfig.Http http = new EstConfig.Http(nonBlank(c, "http.realm"),
                intRange(c, "http.max-body-bytes", 1024, 16 * 1024 * 1024), bool(c, "http.lenient-content-type"),
                intRange(c, "http.retry-after-seconds", 1, 86400), list(c, "http.trusted-proxies"),
                intRange(c, "http.drain-seconds", 0, 3600),
                Values.of(c, "").choice("http.base64-wrap", EstConfig.Base64Wrap.class),
                concurrentEnrollments(c), intRange(c, "http.enrollment-queue-seconds", 1, 3600));
        EstConfig.Limits limits = new EstConfig.Limits(intRange(c, "auth.max-failures", 0, 1000),
                intRange(c, "auth.max-failures-per-ip", 0, 100_000),
                Duration.ofSeconds(intRange(c, "auth.failure-window-seconds", 1, 86400)),
                Duration.ofSeconds(intRange(c, "auth.lockout-seconds", 1, 86400)),
                intRange(c, "auth.tracked-clients", 100, 10_000_000),
                intRange(c, "auth.max-enrollments-per-minute", 0, 1_000_000));

        EstConfig.Auth auth = new EstConfig.Auth(nonBlank(c, "auth.enroll-role"), bool(c, "auth.ra-by-eku"),
                pattern(Values.of(c, ""), "auth.ra-subject-pattern"), optional(c, "auth.ra-issuer"),
                encodingOverrides(string(c, "encoding.clients")),
                intRange(c, "auth.credential-cache-seconds", 0, 300));

        String url = string(c, "database.url");
        if (url.isBlank()) {
            url = embeddedDatabaseUrl(home.resolve("db").resolve("est"));
        }
        EstConfig.Database database = new EstConfig.Database(string(c, "database.jndi-name"), url,
                string(c, "database.user"), string(c, "database.password").toCharArray(),
                intRange(c, "database.pool-size", 1, 500));

        Optional<String> baseUrl = optional(c, "revocation.base-url").map(u -> u.replaceAll("/+$", ""));
        if (baseUrl.isPresent() && !baseUrl.get().matches("https?://[^\\s/]+(/[^\\s]*)?")) {
            throw new ConfigException("revocation.base-url must be an http:// or https:// URL, not '"
                    + baseUrl.get() + "'");
        }
        EstConfig.Revocation revocation = new EstConfig.Revocation(baseUrl,
                intRange(c, "revocation.crl-validity-hours", 1, 24 * 366), intRange(c, "expiry.window-days", 1, 3650));
        return new EstConfig(home, Map.copyOf(cas), List.copyOf(profiles), bootstrap, http, auth, database,
                revocation, limits);
    }

    private static EstConfig.Ca ca(Values v, String prefix) {
        EstConfig.Ca ca = new EstConfig.Ca(v.path(prefix + "keystore"), v.get(prefix + "keystore-password")
                .toCharArray(), v.optional(prefix + "keystore-alias"), v.path(prefix + "cert"), v.path(prefix + "key"),
                v.path(prefix + "chain"), prefix.equals("ca.") && v.bool("ca.dev-generate"));
        if (ca.keystore().isPresent() && (ca.certPem().isPresent() || ca.keyPem().isPresent())) {
            throw new ConfigException("Configure the CA either by " + prefix + "keystore or by " + prefix + "cert + "
                    + prefix + "key, not both");
        }
        if (ca.certPem().isPresent() != ca.keyPem().isPresent()) {
            throw new ConfigException(prefix + "cert and " + prefix + "key must be set together");
        }
        return ca;
    }

    private static EstConfig.Profile profile(Values v, String name, String label, Set<String> cas) {
        String ca = v.get("ca").isEmpty() ? EstConfig.DEFAULT : v.get("ca");
        if (!cas.contains(ca)) {
            throw new ConfigException(v.key("ca") + " names no CA: '" + ca + "' (known: " + cas + ")");
        }
        String san = v.get("issuance.san");
        if (!san.equals("copy") && !san.equals("drop")) {
            throw new ConfigException(v.key("issuance.san") + " must be 'copy' or 'drop', not '" + san + "'");
        }
        Set<String> curves = new LinkedHashSet<>(v.list("issuance.ec-curves"));
        for (String curve : curves) {
            if (!Set.of("P-256", "P-384", "P-521").contains(curve)) {
                throw new ConfigException(v.key("issuance.ec-curves") + ": unsupported curve '" + curve
                        + "' (P-256, P-384, P-521)");
            }
        }
        List<String> keyUsages = v.list("issuance.key-usage");
        if (!keyUsages.equals(List.of("auto"))) {
            for (String usage : keyUsages) {
                if (!KEY_USAGES.contains(usage)) {
                    throw new ConfigException(v.key("issuance.key-usage") + ": unknown key usage '" + usage
                            + "' (auto or " + KEY_USAGES + ")");
                }
            }
        }
        List<String> ekus = v.list("issuance.eku");
        for (String eku : ekus) {
            if (!EKUS.contains(eku) && !eku.matches("[0-2](\\.[0-9]+)+")) {
                throw new ConfigException(v.key("issuance.eku") + ": unknown EKU '" + eku + "' (" + EKUS
                        + " or a dotted OID)");
            }
        }
        int rsaMin = v.intRange("issuance.rsa-min-bits", 2048, 16384);
        EstConfig.Issuance issuance = new EstConfig.Issuance(v.intRange("issuance.validity-days", 1, 36500), ekus,
                keyUsages, san.equals("copy"), rsaMin, v.intRange("issuance.rsa-max-bits", rsaMin, 16384),
                Set.copyOf(curves), v.bool("issuance.ed25519"), pattern(v, "issuance.subject-pattern"));

        List<String> methods = v.list("enroll.auth");
        for (String method : methods) {
            if (!method.equals("certificate") && !method.equals("password")) {
                throw new ConfigException(v.key("enroll.auth") + ": unknown method '" + method
                        + "' (certificate, password)");
            }
        }
        if (methods.isEmpty()) {
            throw new ConfigException(v.key("enroll.auth") + " must name at least one method");
        }
        String approval = v.get("enroll.approval");
        if (!approval.equals("auto") && !approval.equals("manual")) {
            throw new ConfigException(v.key("enroll.approval") + " must be 'auto' or 'manual', not '" + approval + "'");
        }
        EstConfig.Enroll enroll = new EstConfig.Enroll(methods.contains("certificate"), methods.contains("password"),
                v.bool("enroll.http-auth-with-cert"), v.choice("enroll.duplicate", EstConfig.Duplicate.class),
                approval.equals("manual"), v.bool("enroll.bootstrap"), v.choice("enroll.encoding",
                EstConfig.Encoding.class));
        String keyType = v.get("serverkeygen.key");
        if (!SERVER_KEYS.contains(keyType)) {
            throw new ConfigException(v.key("serverkeygen.key") + ": '" + keyType + "' is not one of " + SERVER_KEYS);
        }
        return new EstConfig.Profile(name, label, ca, issuance, enroll, v.list("csrattrs"), v.bool("http.cte-header"),
                new EstConfig.ServerKeyGen(v.bool("serverkeygen.enabled"), keyType));
    }

    private static Optional<Pattern> pattern(Values v, String key) {
        try {
            return v.optional(key).map(Pattern::compile);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(v.key(key) + " is not a valid regular expression: " + e.getDescription());
        }
    }

    private static Map<String, EstConfig.Encoding> encodingOverrides(String text) {
        Map<String, EstConfig.Encoding> overrides = new HashMap<>();
        for (String entry : text.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.lastIndexOf('=');
            String value = eq < 0 ? "" : entry.substring(eq + 1).trim().toUpperCase(Locale.ROOT);
            if (eq <= 0 || !(value.equals("DER") || value.equals("BASE64"))) {
                throw new ConfigException("encoding.clients: entry '" + entry.trim()
                        + "' is not <user or subject DN>=<base64|der>");
            }
            overrides.put(entry.substring(0, eq).trim(), EstConfig.Encoding.valueOf(value));
        }
        return Map.copyOf(overrides);
    }

    private Path resolveHome(String configured) {
        String home = firstNonBlank(configured, systemProperties.apply("est.home"), environment.get("EST_HOME"));
        if (home == null) {
            String catalinaBase = systemProperties.apply("catalina.base");
            return catalinaBase != null ? Path.of(catalinaBase, "est-home") : Path.of("est-home").toAbsolutePath();
        }
        return Path.of(home).toAbsolutePath();
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }

    private static String string(Configuration c, String key) {
        return Values.of(c, "").get(key);
    }

    private static String nonBlank(Configuration c, String key) {
        String value = string(c, key);
        if (value.isEmpty()) {
            throw new ConfigException("Configuration key '" + key + "' must not be empty");
        }
        return value;
    }

    private static Optional<String> optional(Configuration c, String key) {
        return Values.of(c, "").optional(key);
    }

    private static List<String> list(Configuration c, String key) {
        return Values.of(c, "").list(key);
    }

    private static boolean bool(Configuration c, String key) {
        return Values.of(c, "").bool(key);
    }

    /**
     * {@code http.concurrent-enrollments}: "auto" is eight per processor. Why eight: a permit is held while the
     * registry commits, and with four per processor thread dumps at 32 clients found six of the eight holders waiting
     * for a group commit and almost none doing crypto, with a fifth of the CPU idle; eight per processor gave 7-20 %
     * more enrollments per second at the same or a lower p99 (two alternating pairs of runs on 2 cores).
     */
    private static int concurrentEnrollments(Configuration c) {
        String key = "http.concurrent-enrollments";
        return string(c, key).trim().equalsIgnoreCase("auto") ? 8 * Runtime.getRuntime().availableProcessors()
                : intRange(c, key, 0, 10_000);
    }

    private static int intRange(Configuration c, String key, long min, long max) {
        return Values.of(c, "").intRange(key, min, max);
    }
}
