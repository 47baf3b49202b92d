package org.openest.est.http;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;

import org.openest.est.enroll.Caller;
import org.openest.est.protocol.EstError;
import org.openest.est.protocol.EstException;

/**
 * Resolves the caller from what the container verified: the TLS client certificate
 * ({@code jakarta.servlet.request.X509Certificate}) and HTTP Basic checked against the container realm.
 *
 * <p>Why both paths for Basic: Jetty and WildFly authenticate a Basic header before the servlet runs (the remote
 * user is already set; calling {@code login} again would fail), Tomcat does not on unconstrained URLs, so we call
 * {@link HttpServletRequest#login} ourselves. A Basic header that does not authenticate is a 401 even if a client
 * certificate is present: wrong credentials are never silently ignored.
 *
 * <p>A Basic user and password that the realm accepted are remembered for a short time ({@link VerifiedCredentials}),
 * because the realm's PBKDF2 check costs about 100 ms of CPU per request; a failed login forgets the user at once.
 */
public final class CallerResolver {
    static final String CERT_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";
    private final String enrollRole;
    private final VerifiedCredentials verified;

    /**
     * @param enrollRole container role that allows enrolling
     */
    public CallerResolver(String enrollRole) {
        this(enrollRole, 0);
    }

    /**
     * @param enrollRole container role that allows enrolling
     * @param credentialCacheSeconds how long a realm-verified Basic user and password is remembered (0: never)
     */
    public CallerResolver(String enrollRole, int credentialCacheSeconds) {
        this(enrollRole, new VerifiedCredentials(credentialCacheSeconds, System::nanoTime));
    }

    CallerResolver(String enrollRole, VerifiedCredentials verified) {
        this.enrollRole = enrollRole;
        this.verified = verified;
    }

    /**
     * @param request the request
     * @return the caller (method NONE when there are no credentials)
     * @throws EstException AUTHENTICATION_REQUIRED if a Basic header does not authenticate
     */
    public Caller resolve(HttpServletRequest request) throws EstException {
        Optional<X509Certificate> certificate = clientCertificate(request);
        String ip = request.getRemoteAddr();
        String header = request.getHeader("Authorization");
        boolean basic = header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
        String user;
        try {
            user = request.getRemoteUser();
        } catch (RuntimeException e) {
            // Jetty 12 authenticates lazily here and throws on a malformed Basic header: a client error, not a 500.
            throw new EstException(EstError.AUTHENTICATION_REQUIRED, "malformed credentials");
        }
        if (user == null && basic) {
            VerifiedCredentials.Verified login = login(request, header.substring(6).trim());
            return new Caller(login.principal(), Caller.AuthMethod.PASSWORD, certificate, login.enrollRole(), ip);
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
     * @param request the request
     * @return the verified client certificate (end entity), if the container supplied one
     */
    static Optional<X509Certificate> clientCertificate(HttpServletRequest request) {
        Object attribute = request.getAttribute(CERT_ATTRIBUTE);
        if (attribute instanceof X509Certificate[] chain && chain.length > 0) {
            return Optional.of(chain[0]);
        }
        return Optional.empty();
    }

    private VerifiedCredentials.Verified login(HttpServletRequest request, String encoded) throws EstException {
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
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        Optional<VerifiedCredentials.Verified> known = verified.lookup(user, password);
        if (known.isPresent()) {
            return known.get();
        }
        try {
            request.login(user, password);
        } catch (ServletException e) {
            verified.failed(user);
            throw new EstException(EstError.AUTHENTICATION_REQUIRED, "invalid user name or password");
        }
        String authenticated = request.getRemoteUser();
        String principal = authenticated != null ? authenticated : user;
        boolean role = request.isUserInRole(enrollRole);
        verified.remember(user, password, principal, role);
        return new VerifiedCredentials.Verified(user, principal, role, 0);
    }
}
