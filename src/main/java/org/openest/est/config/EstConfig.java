package org.openest.est.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The whole server configuration, read once at startup. Immutable and thread-safe.
 *
 * @param home data directory (database, dev CA, dev TLS material)
 * @param ca where the issuing CA comes from
 * @param issuance issuance policy
 * @param http HTTP behaviour
 * @param auth authentication and authorisation rules
 * @param database database connection
 * @param csrAttrs csrattrs entries (empty: 204)
 */
public record EstConfig(Path home, Ca ca, Issuance issuance, Http http, Auth auth, Database database,
                        List<String> csrAttrs) {

    /** Where the CA key and certificates come from. Exactly one of keystore or PEM, or neither (dev CA). */
    public record Ca(Optional<Path> keystore, char[] keystorePassword, Optional<String> keystoreAlias,
                     Optional<Path> certPem, Optional<Path> keyPem, Optional<Path> chainPem, boolean devGenerate) {
    }

    /** Issuance policy of the signing service. */
    public record Issuance(int validityDays, List<String> extendedKeyUsages, boolean copySan, int rsaMinBits,
                           int rsaMaxBits, Set<String> ecCurves, boolean ed25519) {
    }

    /** HTTP layer behaviour. */
    public record Http(String realm, long maxBodyBytes, boolean cteHeader, boolean lenientContentType,
                       int retryAfterSeconds) {
    }

    /** Authentication and authorisation. */
    public record Auth(String enrollRole, boolean raByEku, Optional<Pattern> raSubjectPattern) {
    }

    /** Database connection: a JNDI DataSource if present, else a JDBC URL. */
    public record Database(String jndiName, String url, String user, char[] password, int poolSize) {
    }
}
