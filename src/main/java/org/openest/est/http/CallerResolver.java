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
 */
public final class CallerResolver {
    static final String CERT_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";
    private final String enrollRole;

    /**
     * @param enrollRole container role that allows enrolling
     */
    public CallerResolver(String enrollRole) {
        this.enrollRole = enrollRole;
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
            user = login(request, header.substring(6).trim());
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

    private static String login(HttpServletRequest request, String encoded) throws EstException {
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
        try {
            request.login(user, decoded.substring(colon + 1));
        } catch (ServletException e) {
            throw new EstException(EstError.AUTHENTICATION_REQUIRED, "invalid user name or password");
        }
        String authenticated = request.getRemoteUser();
        return authenticated != null ? authenticated : user;
    }
}
