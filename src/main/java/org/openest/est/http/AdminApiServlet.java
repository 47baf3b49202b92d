package org.openest.est.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.openest.est.protocol.EstException;
import org.openest.est.revoke.FleetService;
import org.openest.est.revoke.RevocationReasons;
import org.openest.est.store.DevicePage;
import org.openest.est.store.DeviceView;
import org.openest.est.store.FleetQuery;
import org.openest.est.store.PendingRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Admin JSON API under {@code /api/} (container role {@code est-admin}, enforced by web.xml): who is logged in
 * ({@code /whoami}), fleet summary, devices
 * (paged, filtered), a device's certificate history, device deletion, certificate revocation, and held enrollments.
 * CSRF-safe for browsers: a state-changing request must be {@code application/json} (a cross-site form cannot send
 * that without a CORS preflight, which is never granted) or DELETE, and if the browser sends an Origin, it must be
 * this server's.
 */
public final class AdminApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Pattern DECIDE = Pattern.compile("/pending/(\\d{1,18})/(approve|reject)");
    private static final Pattern DEVICE = Pattern.compile("/devices/(\\d{1,18})");
    private static final Pattern REVOKE = Pattern.compile("/certificates/([0-9A-Fa-f]{1,64})/revoke");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_BODY = 16 * 1024;

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
            // Read the (small) body before any answer: answering a refusal with request bytes unread makes the
            // container close the connection, which a client reusing it sees as a reset.
            byte[] body = method.equals("GET") || method.equals("HEAD") ? new byte[0] : readBody(request);
            route(request, response, path, method, body);
        } catch (BadRequest e) {
            json(response, 400, Map.of("error", e.getMessage()));
        } catch (RuntimeException e) {
            ErrorResponder.internal(response, RequestLogFilter.requestId(request), e);
        }
    }

    private void route(HttpServletRequest request, HttpServletResponse response, String path, String method,
                       byte[] requestBody) throws IOException {
        FleetService fleet = endpoint.fleet();
        Matcher device = DEVICE.matcher(path);
        Matcher revoke = REVOKE.matcher(path);
        Matcher decide = DECIDE.matcher(path);
        if (path.equals("/whoami") && allowed(method, "GET", response)) {
            json(response, 200, Map.of("user", String.valueOf(request.getRemoteUser())));
        } else if (path.equals("/summary") && allowed(method, "GET", response)) {
            json(response, 200, fleet.summary());
        } else if (path.equals("/devices") && allowed(method, "GET", response)) {
            devices(request, response);
        } else if (device.matches()) {
            long id = Long.parseLong(device.group(1));
            if (method.equals("GET")) {
                Optional<DeviceView> view = fleet.device(id);
                if (view.isEmpty()) {
                    json(response, 404, Map.of("error", "no device " + id));
                    return;
                }
                Instant now = Instant.now();
                Map<String, Object> body = new LinkedHashMap<>(AdminViews.device(view.get(), now,
                        now.plus(Duration.ofDays(fleet.expiryWindowDays()))));
                body.put("certificates", fleet.history(id).stream().map(AdminViews::certificate).toList());
                json(response, 200, body);
            } else if (allowed(method, "DELETE", response) && csrfSafe(request, response, false)) {
                Optional<Integer> revoked = fleet.deleteDevice(id, request.getRemoteUser());
                if (revoked.isEmpty()) {
                    json(response, 404, Map.of("error", "no device " + id + " to delete"));
                } else {
                    json(response, 200, Map.of("id", id, "status", "DELETED", "revokedCertificates", revoked.get()));
                }
            }
        } else if (revoke.matches() && allowed(method, "POST", response) && csrfSafe(request, response, true)) {
            revoke(request, response, revoke.group(1), requestBody);
        } else if (path.equals("/pending") && allowed(method, "GET", response)) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (PendingRequest pending : endpoint.enrollment().pendingRequests()) {
                items.add(AdminViews.pending(pending));
            }
            json(response, 200, items);
        } else if (decide.matches() && allowed(method, "POST", response) && csrfSafe(request, response, true)) {
            long id = Long.parseLong(decide.group(1));
            boolean approve = decide.group(2).equals("approve");
            if (!endpoint.enrollment().decide(id, approve, request.getRemoteUser())) {
                json(response, 404, Map.of("error", "no pending request " + id));
                return;
            }
            json(response, 200, Map.of("id", id, "status", approve ? "APPROVED" : "REJECTED"));
        } else if (!response.isCommitted()) {
            json(response, 404, Map.of("error", "unknown API path"));
        }
    }

    /**
     * {@code GET /api/devices}: filters {@code status}, {@code label}, {@code q}, {@code expiringWithinDays}; the page
     * by {@code after=<id>} (keyset: the {@code next} of the previous page) or {@code page=<n>} (OFFSET, slower deep
     * in a large registry), {@code size}; {@code count=false} leaves {@code total} out (null).
     */
    private void devices(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Instant now = Instant.now();
        FleetService fleet = endpoint.fleet();
        Optional<Long> after = param(request, "after").map(v -> parseLong(v, "after"));
        if (after.isPresent() && param(request, "page").isPresent()) {
            throw new BadRequest("give page or after, not both");
        }
        int page = intParam(request, "page", 0, 0, 1_000_000);
        int size = intParam(request, "size", 50, 1, 500);
        boolean count = booleanParam(request, "count", true);
        Optional<String> status = param(request, "status");
        if (status.isPresent() && !List.of("valid", "revoked", "expired", "deleted").contains(status.get())) {
            throw new BadRequest("status must be valid, revoked, expired or deleted");
        }
        Optional<Instant> expiring = param(request, "expiringWithinDays")
                .map(days -> now.plus(Duration.ofDays(parseInt(days, "expiringWithinDays", 0, 36500))));
        FleetQuery query = new FleetQuery(status, param(request, "label"), param(request, "q"), expiring, now,
                page * size, size, after);
        Instant soon = now.plus(Duration.ofDays(fleet.expiryWindowDays()));
        DevicePage result = fleet.page(query, count);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total", result.total().orElse(null));
        body.put("page", after.isPresent() ? null : page);
        body.put("size", size);
        body.put("after", after.orElse(null));
        body.put("next", result.next().orElse(null));
        body.put("devices", result.devices().stream().map(d -> AdminViews.device(d, now, soon)).toList());
        json(response, 200, body);
    }

    private void revoke(HttpServletRequest request, HttpServletResponse response, String serial, byte[] json)
            throws IOException {
        JsonNode body = parseJson(json);
        String reasonText = body.path("reason").isString() ? body.path("reason").asString() : "unspecified";
        int reason = RevocationReasons.parse(reasonText)
                .orElseThrow(() -> new BadRequest("unknown or unsupported revocation reason"));
        Optional<String> issuer = body.path("issuer").isString() ? Optional.of(body.path("issuer").asString())
                : Optional.empty();
        FleetService.RevokeResult result = endpoint.fleet().revoke(serial, issuer, reason, request.getRemoteUser());
        switch (result) {
            case REVOKED -> json(response, 200, Map.of("serial", serial.toUpperCase(Locale.ROOT), "status", "REVOKED",
                    "reason", RevocationReasons.name(reason)));
            case ALREADY_REVOKED -> json(response, 409, Map.of("error", "certificate is already revoked"));
            case AMBIGUOUS -> json(response, 409, Map.of("error", "several CAs issued this serial; give issuer"));
            default -> json(response, 404, Map.of("error", "no certificate with serial " + serial));
        }
    }

    private static byte[] readBody(HttpServletRequest request) throws IOException {
        try {
            return BodyReader.read(request, MAX_BODY);
        } catch (EstException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    private static JsonNode parseJson(byte[] bytes) {
        try {
            return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw new BadRequest("request body is not valid JSON");
        }
    }

    private static boolean csrfSafe(HttpServletRequest request, HttpServletResponse response, boolean needsJson)
            throws IOException {
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        if (needsJson && !type.startsWith("application/json")) {
            json(response, 415, Map.of("error", "Content-Type must be application/json"));
            return false;
        }
        String origin = request.getHeader("Origin");
        if (origin != null) {
            int port = request.getServerPort();
            String self = request.getScheme() + "://" + request.getServerName() + (port == 443 ? "" : ":" + port);
            if (!origin.equalsIgnoreCase(self)) {
                json(response, 403, Map.of("error", "cross-origin request refused"));
                return false;
            }
        }
        return true;
    }

    private static boolean allowed(String method, String allowed, HttpServletResponse response) throws IOException {
        if (method.equals(allowed)) {
            return true;
        }
        response.setHeader("Allow", allowed);
        json(response, 405, Map.of("error", "use " + allowed));
        return false;
    }

    private static Optional<String> param(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static int intParam(HttpServletRequest request, String name, int fallback, int min, int max) {
        return param(request, name).map(v -> parseInt(v, name, min, max)).orElse(fallback);
    }

    private static long parseLong(String value, String name) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw new BadRequest(name + " must not be negative");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be a number");
        }
    }

    private static boolean booleanParam(HttpServletRequest request, String name, boolean fallback) {
        Optional<String> value = param(request, name);
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadRequest(name + " must be true or false");
        };
    }

    private static int parseInt(String value, String name, int min, int max) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new BadRequest(name + " must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be a number");
        }
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

    /** A client mistake in an admin request: answered 400 with the message. */
    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
