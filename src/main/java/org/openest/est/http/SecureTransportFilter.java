package org.openest.est.http;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * RFC 7030 section 3.3: EST is served over TLS only. A request the container received in plain HTTP gets a 403,
 * never a redirect (a redirect would make clients rebuild CSRs) and never content. CRLs and OCSP are the exception:
 * they are signed objects that relying parties fetch over plain HTTP.
 */
public final class SecureTransportFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getServletPath();
        boolean revocation = path.equals("/crl") || path.equals("/ocsp");
        if (!request.isSecure() && !revocation) {
            ErrorResponder.write(response, HttpServletResponse.SC_FORBIDDEN, "EST requires HTTPS");
            return;
        }
        chain.doFilter(request, response);
    }
}
