package org.openest.est.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The whole server configuration, read once at startup. Immutable and thread-safe.
 *
 * @param home data directory (database, dev CA, dev TLS material)
 * @param cas CA sources by name; {@value #DEFAULT} is the main CA
 * @param profiles enrollment profiles; the first is the default profile (unlabeled path)
 * @param bootstrapProfile profile serving the unlabeled /bootstrap, if any
 * @param http HTTP behaviour
 * @param auth authentication and authorisation rules
 * @param database database connection
 * @param revocation revocation and expiry settings
 */
public record EstConfig(Path home, Map<String, Ca> cas, List<Profile> profiles, Optional<String> bootstrapProfile,
                        Http http, Auth auth, Database database, Revocation revocation) {

    /** Name of the default CA and of the default profile. */
    public static final String DEFAULT = "default";

    /** @return the default profile (unlabeled path) */
    public Profile defaultProfile() {
        return profiles.get(0);
    }

    /** Where a CA's key and certificates come from. Exactly one of keystore or PEM, or neither (dev CA). */
    public record Ca(Optional<Path> keystore, char[] keystorePassword, Optional<String> keystoreAlias,
                     Optional<Path> certPem, Optional<Path> keyPem, Optional<Path> chainPem, boolean devGenerate) {
    }

    /**
     * One enrollment profile, bound to a label.
     *
     * @param name profile name ({@value EstConfig#DEFAULT} for the default)
     * @param label URI label ("" for the default profile)
     * @param ca name of the CA that issues for it
     * @param issuance issuance policy
     * @param enroll enrollment behaviour
     * @param csrAttrs csrattrs entries (empty: 204)
     * @param cteHeader send Content-Transfer-Encoding: base64 with base64 bodies
     * @param serverKeyGen serverkeygen settings
     */
    public record Profile(String name, String label, String ca, Issuance issuance, Enroll enroll,
                          List<String> csrAttrs, boolean cteHeader, ServerKeyGen serverKeyGen) {
    }

    /** Issuance policy of the signing service. */
    public record Issuance(int validityDays, List<String> extendedKeyUsages, List<String> keyUsages, boolean copySan,
                           int rsaMinBits, int rsaMaxBits, Set<String> ecCurves, boolean ed25519,
                           Optional<Pattern> subjectPattern) {
    }

    /** What to do when a subject already holds a valid certificate. */
    public enum Duplicate {
        /** Issue another. */
        ALLOW,
        /** Refuse with 409. */
        REJECT,
        /** Issue and revoke the old one (superseded). */
        REPLACE
    }

    /** Response body encoding. */
    public enum Encoding {
        /** RFC 8951 base64. */
        BASE64,
        /** Raw DER. */
        DER
    }

    /** Enrollment behaviour of a profile. */
    public record Enroll(boolean certificateAuth, boolean passwordAuth, boolean httpAuthWithCert, Duplicate duplicate,
                         boolean manualApproval, boolean bootstrap, Encoding encoding) {
    }

    /** Server-side key generation (RFC 7030 section 4.4). */
    public record ServerKeyGen(boolean enabled, String keyType) {
    }

    /** HTTP layer behaviour. */
    public record Http(String realm, long maxBodyBytes, boolean lenientContentType, int retryAfterSeconds) {
    }

    /** Authentication and authorisation. */
    public record Auth(String enrollRole, boolean raByEku, Optional<Pattern> raSubjectPattern,
                       Optional<String> raIssuer, Map<String, Encoding> encodingByClient,
                       int credentialCacheSeconds) {
    }

    /**
     * Revocation and expiry.
     *
     * @param baseUrl base of the CDP and AIA URLs put into certificates, if any
     * @param crlValidityHours thisUpdate to nextUpdate
     * @param expiryWindowDays what "expiring soon" means
     */
    public record Revocation(Optional<String> baseUrl, int crlValidityHours, int expiryWindowDays) {
    }

    /** Database connection: a JNDI DataSource if present, else a JDBC URL. */
    public record Database(String jndiName, String url, String user, char[] password, int poolSize) {
    }
}
