package org.openest.est.http;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

import javax.security.auth.x500.X500Principal;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.openest.est.config.EstConfig;
import org.openest.est.enroll.Caller;
import org.openest.est.enroll.EnrollmentProfile;
import org.openest.est.enroll.EnrollmentService;
import org.openest.est.enroll.ServerGeneratedKey;
import org.openest.est.guard.EnrollmentGate;
import org.openest.est.ops.EstMetrics;
import org.openest.est.protocol.CertsOnly;
import org.openest.est.protocol.EstError;
import org.openest.est.protocol.EstException;

/**
 * Routes {@code /.well-known/est/<op>} and {@code /.well-known/est/<label>/<op>} (RFC 7030 section 3.2.2; a servlet
 * URL pattern cannot express the optional middle segment) to the label's profile and runs the operation.
 */
public final class EstServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private transient EstEndpoint endpoint;
    private transient ErrorResponder errors;
    private transient CallerResolver callers;

    @Override
    public void init() throws ServletException {
        endpoint = (EstEndpoint) getServletContext().getAttribute(EstEndpoint.ATTRIBUTE);
        if (endpoint == null) {
            throw new ServletException("EST application was not initialised (see the log for the cause)");
        }
        errors = new ErrorResponder(endpoint.http().realm(), endpoint.http().retryAfterSeconds());
        callers = endpoint.callers();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            route(request, response);
        } catch (EstException e) {
            errors.send(response, e, RequestLogFilter.requestId(request));
        } catch (RuntimeException e) {
            ErrorResponder.internal(response, RequestLogFilter.requestId(request), e);
        }
    }

    private void route(HttpServletRequest request, HttpServletResponse response) throws EstException, IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        String[] segments = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[] {""};
        String label;
        String operation;
        if (segments.length == 1) {
            label = "";
            operation = segments[0];
        } else if (segments.length == 2) {
            label = segments[0];
            operation = segments[1];
        } else {
            throw new EstException(EstError.UNKNOWN_OPERATION);
        }
        EnrollmentProfile profile = endpoint.profiles().get(label);
        if (profile == null) {
            throw new EstException(EstError.UNKNOWN_LABEL);
        }
        request.setAttribute(RequestLogFilter.OPERATION, label.isEmpty() ? operation : label + "/" + operation);
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        switch (operation) {
            case "cacerts" -> {
                if (allowed(method, "GET", response)) {
                    EstResponses.body(response, EstResponses.CACERTS_TYPE, profile.caCerts(),
                            encoding(profile, anonymousPrincipal(request)), profile.settings().cteHeader(),
                            wrap(request));
                }
            }
            case "csrattrs" -> {
                if (allowed(method, "GET", response)) {
                    if (profile.csrAttrs().isPresent()) {
                        EstResponses.body(response, EstResponses.CSRATTRS_TYPE, profile.csrAttrs().get(),
                                encoding(profile, anonymousPrincipal(request)), profile.settings().cteHeader(),
                                wrap(request));
                    } else {
                        EstResponses.noContent(response);
                    }
                }
            }
            case "simpleenroll", "simplereenroll" -> {
                if (allowed(method, "POST", response)) {
                    enroll(request, response, profile, operation);
                }
            }
            case "bootstrap" -> {
                Optional<EnrollmentProfile> target = label.isEmpty() ? endpoint.bootstrap()
                        : Optional.of(profile).filter(p -> p.settings().enroll().bootstrap());
                if (target.isEmpty()) {
                    throw new EstException(EstError.OPERATION_DISABLED);
                }
                if (allowed(method, "POST", response)) {
                    enroll(request, response, target.get(), operation);
                }
            }
            case "serverkeygen" -> {
                if (!profile.settings().serverKeyGen().enabled()) {
                    throw new EstException(EstError.OPERATION_DISABLED);
                }
                if (allowed(method, "POST", response)) {
                    enroll(request, response, profile, operation);
                }
            }
            case "fullcmc" -> throw new EstException(EstError.OPERATION_DISABLED);
            default -> throw new EstException(EstError.UNKNOWN_OPERATION);
        }
    }

    /** Runs {@link #issue} and counts its outcome in {@code est_enrollments_total}. */
    private void enroll(HttpServletRequest request, HttpServletResponse response, EnrollmentProfile profile,
                        String operation) throws EstException, IOException {
        String outcome = EstMetrics.ERROR;
        try {
            issue(request, response, profile, operation);
            outcome = EstMetrics.ISSUED;
        } catch (EstException e) {
            outcome = EstMetrics.outcome(e.error());
            throw e;
        } finally {
            endpoint.metrics().enrollment(profile.label(), operation, outcome);
        }
    }

    /**
     * RFC 7030 sections 4.2.1, 4.2.2 and 4.4; steps in order: size, body, caller, rate limit, media type, decode,
     * issue.
     *
     * <p>Why the body is read before authentication: it is capped, and answering (e.g. 401) while request bytes are
     * still unread makes the container close a socket with unread data, which resets the connection and loses the
     * response on the client side (seen with Bouncy Castle's client, which posts first and authenticates on 401).
     */
    private void issue(HttpServletRequest request, HttpServletResponse response, EnrollmentProfile profile,
                       String operation) throws EstException, IOException {
        byte[] body = BodyReader.read(request, endpoint.http().maxBodyBytes());
        Caller caller = callers.resolve(request);
        request.setAttribute(RequestLogFilter.PRINCIPAL, caller.principal());
        boolean renewal = operation.equals("simplereenroll");
        if (!renewal && caller.method() == Caller.AuthMethod.NONE) {
            throw new EstException(EstError.AUTHENTICATION_REQUIRED);
        }
        if (caller.method() != Caller.AuthMethod.NONE) {
            OptionalLong wait = endpoint.enrollmentLimit().acquire(caller.principal());
            if (wait.isPresent()) {
                throw new EstException(EstError.RATE_LIMITED, null, wait.getAsLong());
            }
        }
        checkContentType(request);
        try (EnrollmentGate.Permit permit = endpoint.gate().enter()) {
            if (permit == null) {
                throw new EstException(EstError.UNAVAILABLE, "too many enrollments in progress",
                        endpoint.http().retryAfterSeconds());
            }
            issueAdmitted(request, response, profile, operation, body, caller, renewal);
        }
    }

    /** The CPU-bound part of an enrollment, under a permit of the {@link EnrollmentGate}. */
    private void issueAdmitted(HttpServletRequest request, HttpServletResponse response, EnrollmentProfile profile,
                               String operation, byte[] body, Caller caller, boolean renewal)
            throws EstException, IOException {
        PKCS10CertificationRequest csr = endpoint.decoder().decode(body);
        EnrollmentService service = endpoint.enrollment();
        EstConfig.Encoding encoding = encoding(profile, caller.principal());
        if (operation.equals("serverkeygen")) {
            ServerGeneratedKey generated = service.serverKeyGen(caller, csr, profile);
            request.setAttribute(RequestLogFilter.SERIAL, EnrollmentService.serialOf(generated.certificate()));
            EstResponses.serverKey(response, generated.privateKey().getEncoded("DER"),
                    CertsOnly.encode(List.of(generated.certificate())), encoding, wrap(request));
            return;
        }
        X509Certificate issued = renewal ? service.reenroll(caller, csr, profile)
                : service.enroll(caller, csr, profile, operation);
        request.setAttribute(RequestLogFilter.SERIAL, EnrollmentService.serialOf(issued));
        EstResponses.body(response, EstResponses.ENROLL_TYPE, CertsOnly.encode(List.of(issued)), encoding,
                profile.settings().cteHeader(), wrap(request));
    }

    /**
     * Whether base64 bodies are wrapped at 64 columns. Why "auto" looks at User-Agent: libest-based clients cannot
     * read long base64 lines, strongSwan's pki cannot read line breaks, and only the latter sends no User-Agent.
     */
    private boolean wrap(HttpServletRequest request) {
        return switch (endpoint.http().base64Wrap()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> request.getHeader("User-Agent") != null;
        };
    }

    /** The per-client encoding override wins over the profile's (e.g. a gateway that insists on DER). */
    private EstConfig.Encoding encoding(EnrollmentProfile profile, String principal) {
        EstConfig.Encoding override = endpoint.auth().encodingByClient().get(principal);
        return override != null ? override : profile.settings().enroll().encoding();
    }

    /** For anonymous operations: the client certificate subject if one was sent, so overrides apply there too. */
    private String anonymousPrincipal(HttpServletRequest request) {
        return callers.clientCertificate(request)
                .map(c -> c.getSubjectX500Principal().getName(X500Principal.RFC2253)).orElse("");
    }

    private void checkContentType(HttpServletRequest request) throws EstException {
        if (endpoint.http().lenientContentType()) {
            return;
        }
        Enumeration<String> types = request.getHeaders("Content-Type");
        if (types != null && types.hasMoreElements() && types.nextElement() != null && types.hasMoreElements()) {
            // getContentType() reads only the first: a second, conflicting one must not be ignored
            throw new EstException(EstError.UNSUPPORTED_MEDIA_TYPE, "more than one Content-Type");
        }
        String type = request.getContentType();
        String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/pkcs10")) {
            throw new EstException(EstError.UNSUPPORTED_MEDIA_TYPE,
                    "got " + (mediaType.isEmpty() ? "none" : sanitize(mediaType)));
        }
    }

    /** @return true if the method is allowed; else a 405 with Allow has been sent */
    private boolean allowed(String method, String allowed, HttpServletResponse response) throws IOException {
        if (method.equals(allowed)) {
            return true;
        }
        ErrorResponder.methodNotAllowed(response, allowed);
        return false;
    }

    private static String sanitize(String text) {
        String clean = text.replaceAll("[^\\x20-\\x7E]", "?");
        return clean.length() > 80 ? clean.substring(0, 80) + "..." : clean;
    }
}
