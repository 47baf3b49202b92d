package org.openest.est.config;

import java.nio.file.Path;
import java.time.Duration;
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
 * @param limits limits on failed logins and enrollment rate
 */
public record EstConfig(Path home, Map<String, Ca> cas, List<Profile> profiles, Optional<String> bootstrapProfile,
                        Http http, Auth auth, Database database, Revocation revocation, Limits limits) {

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

    /**
     * HTTP layer behaviour.
     *
     * @param realm Basic realm for 401 challenges
     * @param maxBodyBytes request body cap
     * @param lenientContentType accept any Content-Type for CSRs
     * @param retryAfterSeconds Retry-After of 202 and 503 answers
     * @param trustedProxies proxy addresses or CIDR ranges whose forwarded headers are believed (unparsed)
     * @param drainSeconds how long shutdown waits for running requests before closing the database
     */
    public record Http(String realm, long maxBodyBytes, boolean lenientContentType, int retryAfterSeconds,
                       List<String> trustedProxies, int drainSeconds, Base64Wrap base64Wrap,
                       int concurrentEnrollments, int enrollmentQueueSeconds) {
    }

    /** Line wrapping of base64 response bodies. */
    public enum Base64Wrap {
        /** Wrap at 64 columns, except for a request without User-Agent (strongSwan's pki). */
        AUTO,
        /** Always wrap at 64 columns. */
        ALWAYS,
        /** One line. */
        NEVER
    }

    /**
     * Limits against password guessing and enrollment floods. A limit of 0 is off.
     *
     * @param maxFailuresPerUser failed Basic logins per user name within the window before a lockout
     * @param maxFailuresPerIp failed Basic logins per client address within the window before a lockout
     * @param failureWindow how far back failures count
     * @param lockout how long a lockout lasts
     * @param trackedClients most user names, addresses and clients remembered at once
     * @param enrollmentsPerMinute enrollment requests per authenticated client per minute
     */
    public record Limits(int maxFailuresPerUser, int maxFailuresPerIp, Duration failureWindow, Duration lockout,
                         int trackedClients, int enrollmentsPerMinute) {
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
