package org.openest.est.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.openest.est.ops.HealthCheck;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /health} (anonymous: 200 {@code {"status":"UP","database":"UP","ca":"UP"}}, or 503 with the parts that
 * are DOWN, for load balancers) and {@code GET /metrics} (Prometheus text format 0.0.4; web.xml restricts it to the
 * roles {@code est-admin} and {@code est-metrics}). Both HTTPS only, like the rest of the webapp.
 */
public final class OpsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private transient OpsEndpoint endpoint;

    @Override
    public void init() throws ServletException {
        endpoint = (OpsEndpoint) getServletContext().getAttribute(OpsEndpoint.ATTRIBUTE);
        if (endpoint == null) {
            throw new ServletException("EST application was not initialised (see the log for the cause)");
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        request.setAttribute(RequestLogFilter.OPERATION, request.getServletPath().substring(1));
        try {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ErrorResponder.methodNotAllowed(response, "GET, HEAD");
                return;
            }
            if (request.getServletPath().equals("/metrics")) {
                request.setAttribute(RequestLogFilter.PRINCIPAL, request.getRemoteUser());
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                endpoint.metrics().write(body);
                send(response, 200, endpoint.metrics().contentType(), body.toByteArray(), method);
                return;
            }
            HealthCheck.Health health = endpoint.health().check();
            Map<String, String> view = new LinkedHashMap<>();
            view.put("status", state(health.up()));
            view.put("database", state(health.database()));
            view.put("ca", state(health.ca()));
            send(response, health.up() ? 200 : 503, "application/json", JSON.writeValueAsBytes(view), method);
        } catch (RuntimeException e) {
            ErrorResponder.internal(response, RequestLogFilter.requestId(request), e);
        }
    }

    private static String state(boolean up) {
        return up ? "UP" : "DOWN";
    }

    private static void send(HttpServletResponse response, int status, String type, byte[] body, String method)
            throws IOException {
        response.setStatus(status);
        response.setContentType(type);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        if (method.equals("GET")) {
            response.getOutputStream().write(body);
        }
    }
}
