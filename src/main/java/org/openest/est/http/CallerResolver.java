package org.openest.est.http;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import javax.security.auth.x500.X500Principal;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;

import org.openest.est.enroll.Caller;
import org.openest.est.guard.ForwardedCertificates;
import org.openest.est.guard.LoginThrottle;
import org.openest.est.guard.TrustedProxies;
import org.openest.est.ops.EstMetrics;
import org.openest.est.protocol.EstError;
import org.openest.est.protocol.EstException;

/**
 * Resolves the caller from what the container verified: the TLS client certificate
 * ({@code jakarta.servlet.request.X509Certificate}) and HTTP Basic checked against the container realm; or, from a
 * trusted TLS-terminating proxy, the certificate it forwarded (verified by {@link ForwardedCertificates}).
 *
 * <p>Why both paths for Basic: Jetty and WildFly authenticate a Basic header before the servlet runs (the remote
 * user is already set; calling {@code login} again would fail), Tomcat does not on unconstrained URLs, so we call
 * {@link HttpServletRequest#login} ourselves. A Basic header that does not authenticate is a 401 even if a client
 * certificate is present: wrong credentials are never silently ignored.
 *
 * <p>Failed logins are throttled ({@link LoginThrottle}): the user name is taken from the header and checked for a
 * lockout before anything looks at the password (Jetty checks it lazily inside {@code getRemoteUser}). Why the path
 * is the same for an unknown user and a wrong password: only the container realm knows which it was, and this
 * code never asks; both end in one failed {@code login} (or lazy authentication), one recorded failure and the same
 * empty 401, so neither the answer nor our share of its timing tells them apart. The realm's own timing is its
 * business (Tomcat's realms hash a dummy credential for unknown users for this reason).
 */
public final class CallerResolver {
    static final String CERT_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";
    /** Request attribute caching the resolved certificate, so forwarding headers are audited once per request. */
    private static final String RESOLVED = "org.openest.est.clientCertificate";

    private final String enrollRole;
    private final LoginThrottle throttle;
    private final TrustedProxies proxies;
    private final ForwardedCertificates forwarded;
    private final EstMetrics metrics;
    private final VerifiedCredentials verified;

    /** The user name and password of a Basic header; the password is handed to the container only. */
    private record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + "]";
        }
    }

    /** A resolved client certificate, cached in the request. */
    private record Resolved(Optional<X509Certificate> certificate) {
    }

    /**
     * @param enrollRole container role that allows enrolling
     * @param throttle failed-login lockouts
     * @param proxies trusted proxies (client address from X-Forwarded-For)
     * @param forwarded forwarded client certificates
     * @param metrics where failed logins are counted
     * @param credentialCacheSeconds how long a realm-verified Basic user and password is remembered (0: never)
     */
    public CallerResolver(String enrollRole, LoginThrottle throttle, TrustedProxies proxies,
                          ForwardedCertificates forwarded, EstMetrics metrics, int credentialCacheSeconds) {
        this.verified = new VerifiedCredentials(credentialCacheSeconds, System::nanoTime);
        this.enrollRole = enrollRole;
        this.throttle = throttle;
        this.proxies = proxies;
        this.forwarded = forwarded;
        this.metrics = metrics;
    }

    /**
     * @param request the request
     * @return the caller (method NONE when there are no credentials)
     * @throws EstException AUTHENTICATION_REQUIRED if a Basic header does not authenticate, LOCKED_OUT (429) if the
     *                      user name or the client address is locked out
     */
    public Caller resolve(HttpServletRequest request) throws EstException {
        Optional<X509Certificate> certificate = clientCertificate(request);
        String ip = clientAddress(request);
        String header = request.getHeader("Authorization");
        Credentials credentials = null;
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            credentials = decode(header.substring(6).trim());
            OptionalLong wait = throttle.lockedFor(ip, credentials.user());
            if (wait.isPresent()) {
                throw new EstException(EstError.LOCKED_OUT, null, wait.getAsLong());
            }
            // The realm's PBKDF2 check costs ~100 ms of CPU: a user and password it accepted moments ago is
            // remembered (VerifiedCredentials; a failed login forgets the user at once).
            Optional<VerifiedCredentials.Verified> known = verified.lookup(credentials.user(), credentials.password());
            if (known.isPresent()) {
                throttle.success(ip, credentials.user());
                return new Caller(known.get().principal(), Caller.AuthMethod.PASSWORD, certificate,
                        known.get().enrollRole(), ip);
            }
            try {
                return resolveByContainer(request, certificate, ip, credentials);
            } finally {
                verified.settled(credentials.user(), credentials.password()); // releases requests waiting for it
            }
        }
        return resolveByContainer(request, certificate, ip, null);
    }

    /** The caller as the container sees it: its realm (asked now if need be) or the TLS client certificate. */
    private Caller resolveByContainer(HttpServletRequest request, Optional<X509Certificate> certificate, String ip,
                                      Credentials credentials) throws EstException {
        String user;
        try {
            user = request.getRemoteUser();
        } catch (RuntimeException e) {
            // Jetty 12 authenticates lazily here and throws on a malformed Basic header: a client error, not a 500.
            throw new EstException(EstError.AUTHENTICATION_REQUIRED, "malformed credentials");
        }
        if (user == null && credentials != null) {
            user = login(request, credentials, ip);
        } else if (user != null && credentials != null) {
            throttle.success(ip, credentials.user());
            verified.remember(credentials.user(), credentials.password(), user, request.isUserInRole(enrollRole));
        }
        if (user != null) {
            return new Caller(user, Caller.AuthMethod.PASSWORD, certificate, request.isUserInRole(enrollRole), ip);
        }
        if (certificate.isPresent()) {
            return new Caller(certificate.get().getSubjectX500Principal().getName(X500Principal.RFC2253),
                    Caller.AuthMethod.CERTIFICATE, certificate, false, ip);
        }
        return new Caller("", Caller.AuthMethod.NONE, Optional.empty(), false, ip);
    }

    /**
     * The client certificate: forwarded by a trusted proxy and verified here, else the one the container verified.
     * A forwarded certificate that does not verify leaves the request without any certificate.
     *
     * @param request the request
     * @return the client certificate (end entity), if any
     */
    Optional<X509Certificate> clientCertificate(HttpServletRequest request) {
        if (request.getAttribute(RESOLVED) instanceof Resolved resolved) {
            return resolved.certificate();
        }
        ForwardedCertificates.Result result = forwarded.resolve(request.getRemoteAddr(),
                headers(request, ForwardedCertificates.CLIENT_CERT),
                headers(request, ForwardedCertificates.SSL_CLIENT_CERT));
        Optional<X509Certificate> certificate = switch (result.outcome()) {
            case ACCEPTED -> result.certificate();
            case REJECTED -> Optional.empty();
            case ABSENT, IGNORED -> containerCertificate(request);
        };
        request.setAttribute(RESOLVED, new Resolved(certificate));
        return certificate;
    }

    /**
     * @param request the request
     * @return the client's address: the peer, or behind a trusted proxy the address it forwarded
     */
    String clientAddress(HttpServletRequest request) {
        return proxies.clientAddress(request.getRemoteAddr(), headers(request, "X-Forwarded-For"));
    }

    private static Optional<X509Certificate> containerCertificate(HttpServletRequest request) {
        Object attribute = request.getAttribute(CERT_ATTRIBUTE);
        if (attribute instanceof X509Certificate[] chain && chain.length > 0) {
            return Optional.of(chain[0]);
        }
        return Optional.empty();
    }

    private static List<String> headers(HttpServletRequest request, String name) {
        Enumeration<String> values = request.getHeaders(name);
        return values == null ? List.of() : Collections.list(values);
    }

    private static Credentials decode(String encoded) throws EstException {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new EstException(EstError.AUTHENTICATION_REQUIRED, "malformed Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new EstException(EstError.AUTHENTICATION_REQUIRED, "malformed Basic credentials");
        }
        return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    private String login(HttpServletRequest request, Credentials credentials, String ip) throws EstException {
        try {
            request.login(credentials.user(), credentials.password());
        } catch (ServletException e) {
            throttle.failure(ip, credentials.user());
            verified.failed(credentials.user());
            metrics.authFailure();
            throw new EstException(EstError.AUTHENTICATION_REQUIRED, "invalid user name or password");
        }
        throttle.success(ip, credentials.user());
        String authenticated = request.getRemoteUser();
        String principal = authenticated != null ? authenticated : credentials.user();
        verified.remember(credentials.user(), credentials.password(), principal, request.isUserInRole(enrollRole));
        return principal;
    }
}
