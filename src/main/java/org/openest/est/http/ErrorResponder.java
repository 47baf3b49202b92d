package org.openest.est.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openest.est.protocol.EstError;
import org.openest.est.protocol.EstException;

/**
 * The one place that writes error responses: {@code text/plain} one-liners with the right status, plus
 * {@code WWW-Authenticate}, {@code Allow} or {@code Retry-After} (202, 429, 503) where they apply. Never a stack
 * trace. A 401 is the exception: challenge header, empty body (see {@link #send}).
 */
public final class ErrorResponder {
    private static final Logger LOG = LogManager.getLogger(ErrorResponder.class);
    /** RFC 6585 section 4 (not among HttpServletResponse's constants). */
    static final int TOO_MANY_REQUESTS = 429;

    private final String realm;
    private final int retryAfterSeconds;

    /**
     * @param realm Basic realm for 401 challenges
     * @param retryAfterSeconds Retry-After for 503
     */
    public ErrorResponder(String realm, int retryAfterSeconds) {
        this.realm = realm;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * @param response the response (not yet committed)
     * @param e the failure
     * @param requestId the request id, quoted in 5xx bodies so support can find the log lines
     * @throws IOException if writing fails
     */
    public void send(HttpServletResponse response, EstException e, String requestId) throws IOException {
        EstError error = e.error();
        response.resetBuffer();
        if (error == EstError.PENDING) {
            // RFC 7030 section 4.2.3: 202 with Retry-After. Empty body: Bouncy Castle's client closes a 202
            // without reading it, like a 401 (see below).
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
            response.setHeader("Retry-After", Integer.toString(retryAfterSeconds));
            response.setHeader("Cache-Control", "no-store");
            response.setContentLength(0);
            return;
        }
        if (error.status() == HttpServletResponse.SC_UNAUTHORIZED) {
            // Why no body: Bouncy Castle's EST client (<= 1.87) closes a 401 without reading it and fails if a body
            // of two or more bytes is pending, so a 401 with a body breaks password enrollment for every BC-based
            // device. The challenge header says what is needed; the reason goes to the log.
            LOG.info("401 {}", e.getMessage());
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
            response.setHeader("Cache-Control", "no-store");
            response.setContentLength(0);
            return;
        } else if (error == EstError.BODY_TOO_LARGE) {
            response.setHeader("Connection", "close");
        } else if (error.status() == HttpServletResponse.SC_SERVICE_UNAVAILABLE
                || error.status() == TOO_MANY_REQUESTS) {
            // RFC 6585 section 4: a 429 says how long to wait; a lockout or rate limit knows it exactly.
            response.setHeader("Retry-After", Long.toString(e.retryAfter().orElse(retryAfterSeconds)));
        }
        LOG.info("{} {}", error.status(), e.getMessage());
        String text = error.status() >= 500 ? e.getMessage() + " (reference " + requestId + ")" : e.getMessage();
        write(response, error.status(), text);
    }

    /**
     * 405 with the Allow header (RFC 9110 section 15.5.6).
     *
     * @param response the response
     * @param allow allowed method
     * @throws IOException if writing fails
     */
    public static void methodNotAllowed(HttpServletResponse response, String allow) throws IOException {
        response.resetBuffer();
        response.setHeader("Allow", allow);
        write(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, EstError.METHOD_NOT_ALLOWED.reason()
                + "; use " + allow);
    }

    /**
     * 500 for anything unexpected: the full exception goes to the log with the request id, the client gets only
     * the id to quote.
     *
     * @param response the response
     * @param requestId the request id
     * @param failure what went wrong
     * @throws IOException if writing fails
     */
    public static void internal(HttpServletResponse response, String requestId, Throwable failure) throws IOException {
        LOG.error("Internal error, request {}", requestId, failure);
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        write(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
                EstError.INTERNAL.reason() + " (reference " + requestId + ")");
    }

    static void write(HttpServletResponse response, int status, String text) throws IOException {
        byte[] body = (text.replace('\r', ' ').replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/plain; charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
