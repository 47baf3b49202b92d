package org.openest.est.enroll;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * The authenticated client of one request, as the container verified it.
 *
 * @param principal user name or client certificate subject ("" when anonymous)
 * @param method how the principal authenticated
 * @param certificate the verified TLS client certificate, if any (present even when Basic won)
 * @param enrollRole true if a Basic user holds the enrolling role
 * @param clientIp the client address
 */
public record Caller(String principal, AuthMethod method, Optional<X509Certificate> certificate, boolean enrollRole,
                     String clientIp) {

    /** How a caller authenticated. */
    public enum AuthMethod {
        /** TLS client certificate verified by the container. */
        CERTIFICATE,
        /** HTTP Basic against the container realm. */
        PASSWORD,
        /** No credentials. */
        NONE
    }
}
