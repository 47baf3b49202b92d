package org.openest.est.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.openest.est.store.PendingRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * Admin JSON API under {@code /api/} (container role {@code est-admin}, enforced by web.xml): pending enrollments
 * and their approval. CSRF-safe for browsers: a state-changing POST must be {@code application/json} (which a
 * cross-site form cannot send without a CORS preflight we never grant) and, if the browser sends an Origin, it must
 * be this server's.
 */
public final class AdminApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Pattern DECIDE = Pattern.compile("/pending/(\\d{1,18})/(approve|reject)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private transient AdminEndpoint endpoint;

    @Override
    public void init() throws ServletException {
        endpoint = (AdminEndpoint) getServletContext().getAttribute(AdminEndpoint.ATTRIBUTE);
        if (endpoint == null) {
            throw new ServletException("EST application was not initialised (see the log for the cause)");
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        request.setAttribute(RequestLogFilter.OPERATION, "api" + path);
        request.setAttribute(RequestLogFilter.PRINCIPAL, request.getRemoteUser());
        try {
            if (path.equals("/pending")) {
                if (!method.equals("GET")) {
                    response.setHeader("Allow", "GET");
                    json(response, 405, Map.of("error", "use GET"));
                    return;
                }
                List<Map<String, Object>> items = new ArrayList<>();
                for (PendingRequest pending : endpoint.enrollment().pendingRequests()) {
                    items.add(view(pending));
                }
                json(response, 200, items);
                return;
            }
            Matcher decide = DECIDE.matcher(path);
            if (decide.matches()) {
                if (!method.equals("POST")) {
                    response.setHeader("Allow", "POST");
                    json(response, 405, Map.of("error", "use POST"));
                    return;
                }
                if (!csrfSafe(request, response)) {
                    return;
                }
                long id = Long.parseLong(decide.group(1));
                boolean approve = decide.group(2).equals("approve");
                if (!endpoint.enrollment().decide(id, approve, request.getRemoteUser())) {
                    json(response, 404, Map.of("error", "no pending request " + id));
                    return;
                }
                json(response, 200, Map.of("id", id, "status", approve ? "APPROVED" : "REJECTED"));
                return;
            }
            json(response, 404, Map.of("error", "unknown API path"));
        } catch (RuntimeException e) {
            new ErrorResponder("est", 60).internal(response, RequestLogFilter.requestId(request), e);
        }
    }

    private static boolean csrfSafe(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/json")) {
            json(response, 415, Map.of("error", "Content-Type must be application/json"));
            return false;
        }
        String origin = request.getHeader("Origin");
        if (origin != null) {
            String self = request.getScheme() + "://" + request.getServerName()
                    + (request.getServerPort() == 443 ? "" : ":" + request.getServerPort());
            if (!origin.equalsIgnoreCase(self)) {
                json(response, 403, Map.of("error", "cross-origin request refused"));
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> view(PendingRequest pending) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", pending.id());
        item.put("profile", pending.profile());
        item.put("subject", pending.subject());
        item.put("operation", pending.operation());
        item.put("requestedBy", pending.principal());
        item.put("authMethod", pending.authMethod());
        item.put("clientIp", pending.clientIp());
        item.put("createdAt", pending.createdAt().toString());
        return item;
    }

    private static void json(HttpServletResponse response, int status, Object value) throws IOException {
        byte[] body = JSON.writeValueAsBytes(value);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
