package org.openest.est.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
            for (Iterator<String> keys = external.getKeys(); keys.hasNext();) {
                String key = keys.next();
                if (!known.contains(key)) {
                    throw new ConfigException("Unknown configuration key '" + key + "' in " + file.get());
                }
            }
            composite.addConfiguration(external);
            LOG.info("Configuration file {}", file.get());
        }
        composite.addConfiguration(defaults);
        return build(composite);
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
        EstConfig.Ca ca = new EstConfig.Ca(optionalPath(c, "ca.keystore"), string(c, "ca.keystore-password").toCharArray(),
                optional(c, "ca.keystore-alias"), optionalPath(c, "ca.cert"), optionalPath(c, "ca.key"),
                optionalPath(c, "ca.chain"), bool(c, "ca.dev-generate"));
        if (ca.keystore().isPresent() && (ca.certPem().isPresent() || ca.keyPem().isPresent())) {
            throw new ConfigException("Configure the CA either by ca.keystore or by ca.cert + ca.key, not both");
        }
        if (ca.certPem().isPresent() != ca.keyPem().isPresent()) {
            throw new ConfigException("ca.cert and ca.key must be set together");
        }

        String san = string(c, "issuance.san");
        if (!san.equals("copy") && !san.equals("drop")) {
            throw new ConfigException("issuance.san must be 'copy' or 'drop', not '" + san + "'");
        }
        Set<String> curves = new LinkedHashSet<>(list(c, "issuance.ec-curves"));
        for (String curve : curves) {
            if (!Set.of("P-256", "P-384", "P-521").contains(curve)) {
                throw new ConfigException("issuance.ec-curves: unsupported curve '" + curve + "' (P-256, P-384, P-521)");
            }
        }
        int rsaMin = intRange(c, "issuance.rsa-min-bits", 2048, 16384);
        EstConfig.Issuance issuance = new EstConfig.Issuance(intRange(c, "issuance.validity-days", 1, 36500),
                list(c, "issuance.eku"), san.equals("copy"), rsaMin,
                intRange(c, "issuance.rsa-max-bits", rsaMin, 16384), Set.copyOf(curves), bool(c, "issuance.ed25519"));

        EstConfig.Http http = new EstConfig.Http(nonBlank(c, "http.realm"),
                intRange(c, "http.max-body-bytes", 1024, 16 * 1024 * 1024), bool(c, "http.cte-header"),
                bool(c, "http.lenient-content-type"), intRange(c, "http.retry-after-seconds", 1, 86400));

        Optional<Pattern> raPattern;
        try {
            raPattern = optional(c, "auth.ra-subject-pattern").map(Pattern::compile);
        } catch (PatternSyntaxException e) {
            throw new ConfigException("auth.ra-subject-pattern is not a valid regular expression: " + e.getDescription());
        }
        EstConfig.Auth auth = new EstConfig.Auth(nonBlank(c, "auth.enroll-role"), bool(c, "auth.ra-by-eku"), raPattern);

        String url = string(c, "database.url");
        if (url.isBlank()) {
            url = "jdbc:hsqldb:file:" + home.resolve("db").resolve("est").toAbsolutePath()
                    + ";hsqldb.write_delay=false;hsqldb.tx=mvcc;hsqldb.default_table_type=cached";
        }
        EstConfig.Database database = new EstConfig.Database(string(c, "database.jndi-name"), url,
                string(c, "database.user"), string(c, "database.password").toCharArray(),
                intRange(c, "database.pool-size", 1, 500));

        return new EstConfig(home, ca, issuance, http, auth, database, list(c, "csrattrs"));
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
        try {
            String value = c.getString(key);
            return value == null ? "" : value.trim();
        } catch (RuntimeException e) {
            throw new ConfigException("Configuration key '" + key + "': " + e.getMessage(), e);
        }
    }

    private static String nonBlank(Configuration c, String key) {
        String value = string(c, key);
        if (value.isEmpty()) {
            throw new ConfigException("Configuration key '" + key + "' must not be empty");
        }
        return value;
    }

    private static Optional<String> optional(Configuration c, String key) {
        String value = string(c, key);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static Optional<Path> optionalPath(Configuration c, String key) {
        return optional(c, key).map(Path::of);
    }

    private static List<String> list(Configuration c, String key) {
        List<String> values = new ArrayList<>();
        for (String part : string(c, key).split(",")) {
            if (!part.isBlank()) {
                values.add(part.trim());
            }
        }
        return List.copyOf(values);
    }

    private static boolean bool(Configuration c, String key) {
        String value = string(c, key).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException("Configuration key '" + key + "' must be true or false, not '"
                    + value + "'");
        };
    }

    private static int intRange(Configuration c, String key, long min, long max) {
        String value = string(c, key);
        try {
            long parsed = Long.parseLong(value);
            if (parsed < min || parsed > max) {
                throw new ConfigException("Configuration key '" + key + "' must be between " + min + " and " + max
                        + ", not " + value);
            }
            return (int) parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException("Configuration key '" + key + "' must be a number, not '" + value + "'");
        }
    }
}
