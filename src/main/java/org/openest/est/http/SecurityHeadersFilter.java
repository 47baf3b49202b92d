package org.openest.est.http;

import java.io.IOException;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * Secure defaults on every response of the webapp: {@code X-Content-Type-Options: nosniff},
 * {@code Strict-Transport-Security: max-age=31536000} (EST is HTTPS only), {@code X-Frame-Options: DENY},
 * {@code Referrer-Policy: no-referrer}, {@code Cache-Control: no-store} unless the servlet sets its own, and
 * {@code Content-Security-Policy: default-src 'none'; frame-ancestors 'none'} for everything that is not HTML.
 *
 * <p>Why the headers are set before the chain: a servlet commits the response when it writes the body, after which
 * nothing can be added; a servlet that sets one of these headers itself simply overrides ours. An HTML page (a later
 * dashboard) sets its own content policy; until it does, it keeps only {@code frame-ancestors 'none'}. Responses the
 * container writes before any filter runs (such as its 401 for the constrained {@code /metrics} and {@code /api/})
 * are the container's.
 */
public final class SecurityHeadersFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    static final String CSP = "Content-Security-Policy";
    static final String DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'";
    static final String HTML_CSP = "frame-ancestors 'none'";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Strict-Transport-Security", "max-age=31536000");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader(CSP, DEFAULT_CSP);
        chain.doFilter(request, new HtmlAware(response));
    }

    /** Relaxes the default content policy when a servlet declares an HTML body and has set no policy of its own. */
    private static final class HtmlAware extends HttpServletResponseWrapper {
        HtmlAware(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setContentType(String type) {
            super.setContentType(type);
            relaxIfHtml(type);
        }

        @Override
        public void setHeader(String name, String value) {
            super.setHeader(name, value);
            if ("Content-Type".equalsIgnoreCase(name)) {
                relaxIfHtml(value);
            }
        }

        @Override
        public void addHeader(String name, String value) {
            super.addHeader(name, value);
            if ("Content-Type".equalsIgnoreCase(name)) {
                relaxIfHtml(value);
            }
        }

        private void relaxIfHtml(String type) {
            if (type != null && type.toLowerCase(Locale.ROOT).startsWith("text/html")
                    && DEFAULT_CSP.equals(getHeader(CSP))) {
                super.setHeader(CSP, HTML_CSP);
            }
        }
    }
}
