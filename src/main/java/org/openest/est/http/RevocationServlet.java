package org.openest.est.http;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.openest.est.protocol.EstException;
import org.openest.est.revoke.FleetService;
import org.openest.est.revoke.OcspResponder;

/**
 * Serves revocation status, anonymously, and (unlike EST) also over plain HTTP if the container has such a
 * connector, since relying parties such as Wi-Fi access points fetch CRLs and OCSP over HTTP and the objects are
 * signed: {@code GET /crl/<ca>.crl} (DER, {@code application/pkix-crl}), and the OCSP responder at {@code /ocsp}
 * (RFC 6960 appendix A: POST {@code application/ocsp-request}, or GET {@code /ocsp/<url-encoded base64>}).
 */
public final class RevocationServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final int MAX_OCSP_REQUEST = 16 * 1024;

    private transient FleetService fleet;
    private transient OcspResponder ocsp;

    @Override
    public void init() throws ServletException {
        AdminEndpoint endpoint = (AdminEndpoint) getServletContext().getAttribute(AdminEndpoint.ATTRIBUTE);
        if (endpoint == null) {
            throw new ServletException("EST application was not initialised (see the log for the cause)");
        }
        fleet = endpoint.fleet();
        ocsp = endpoint.ocsp();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String servletPath = request.getServletPath();
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        try {
            if (servletPath.equals("/crl")) {
                crl(path, method, response);
            } else {
                ocsp(request, path, method, response);
            }
        } catch (RuntimeException e) {
            ErrorResponder.internal(response, RequestLogFilter.requestId(request), e);
        }
    }

    private void crl(String path, String method, HttpServletResponse response) throws IOException {
        if (!method.equals("GET")) {
            response.setHeader("Allow", "GET");
            ErrorResponder.write(response, 405, "Method not allowed; use GET");
            return;
        }
        Optional<byte[]> crl = path.startsWith("/") && path.endsWith(".crl")
                ? fleet.crl(path.substring(1, path.length() - 4)) : Optional.empty();
        if (crl.isEmpty()) {
            ErrorResponder.write(response, 404, "Unknown CRL");
            return;
        }
        binary(response, "application/pkix-crl", crl.get());
    }

    private void ocsp(HttpServletRequest request, String path, String method, HttpServletResponse response)
            throws IOException {
        byte[] der;
        if (method.equals("POST") && path.isEmpty()) {
            String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
            if (!type.startsWith("application/ocsp-request")) {
                ErrorResponder.write(response, 415, "Content-Type must be application/ocsp-request");
                return;
            }
            try {
                der = BodyReader.read(request, MAX_OCSP_REQUEST);
            } catch (EstException e) {
                ErrorResponder.write(response, e.error().status(), e.getMessage());
                return;
            }
        } else if (method.equals("GET") && path.length() > 1) {
            try {
                String raw = request.getRequestURI().substring(request.getRequestURI().indexOf("/ocsp/") + 6);
                der = Base64.getDecoder().decode(URLDecoder.decode(raw, StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                der = new byte[0]; // answered as malformedRequest
            }
        } else {
            response.setHeader("Allow", "GET, POST");
            ErrorResponder.write(response, 405, "Method not allowed; POST /ocsp or GET /ocsp/<request>");
            return;
        }
        binary(response, "application/ocsp-response", ocsp.respond(der));
    }

    private static void binary(HttpServletResponse response, String type, byte[] body) throws IOException {
        response.setStatus(200);
        response.setContentType(type);
        response.setHeader("Cache-Control", "no-cache");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
