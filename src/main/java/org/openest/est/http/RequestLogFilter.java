package org.openest.est.http;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.openest.est.ca.Crypto;

/**
 * One log line per request ({@code est.request}): request id, method, path, operation, caller, status, latency,
 * certificate serial. The request id is in {@link ThreadContext} for every other log line of the request and in the
 * {@code X-Request-Id} response header. Never logs headers or bodies. Also counts running requests (drained at
 * shutdown) and times EST requests for {@code est_request_duration_seconds}.
 */
public final class RequestLogFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LogManager.getLogger("est.request");
    private static final SecureRandom RANDOM = Crypto.random();

    static final String ID = "org.openest.est.requestId";
    static final String OPERATION = "org.openest.est.operation";
    static final String PRINCIPAL = "org.openest.est.principal";
    static final String SERIAL = "org.openest.est.serial";
    /** Servlet path of the EST servlet; only its requests are timed in {@code est_request_duration_seconds}. */
    private static final String EST_PATH = "/.well-known/est";

    private transient OpsEndpoint ops;

    @Override
    public void init() throws ServletException {
        ops = (OpsEndpoint) getServletContext().getAttribute(OpsEndpoint.ATTRIBUTE);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (ops == null) {
            log(request, response, chain);
            return;
        }
        ops.inFlight().enter();
        long start = System.nanoTime();
        try {
            log(request, response, chain);
        } finally {
            ops.inFlight().exit();
            if (request.getServletPath().equals(EST_PATH)) {
                ops.metrics().requestDuration(System.nanoTime() - start);
            }
        }
    }

    private void log(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long start = System.nanoTime();
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        request.setAttribute(ID, id);
        response.setHeader("X-Request-Id", id);
        ThreadContext.put("requestId", id);
        try {
            chain.doFilter(request, response);
        } finally {
            LOG.info("{} {} op={} principal=\"{}\" ip={} status={} ms={} serial={}", request.getMethod(),
                    request.getRequestURI(), attribute(request, OPERATION), attribute(request, PRINCIPAL),
                    request.getRemoteAddr(), response.getStatus(), (System.nanoTime() - start) / 1_000_000,
                    attribute(request, SERIAL));
            ThreadContext.remove("requestId");
        }
    }

    /**
     * @param request the request
     * @return its id, or "-" outside this filter
     */
    static String requestId(HttpServletRequest request) {
        Object id = request.getAttribute(ID);
        return id == null ? "-" : id.toString();
    }

    private static String attribute(HttpServletRequest request, String name) {
        Object value = request.getAttribute(name);
        return value == null ? "-" : value.toString();
    }
}
