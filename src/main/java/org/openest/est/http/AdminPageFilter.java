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
 * Security headers of the admin dashboard ({@code /admin/*}, static HTML, JS and CSS served by the container's default
 * servlet): a strict Content-Security-Policy that allows only this origin's scripts, styles, images and fetches (no
 * inline script or style, no framing, no base or form redirection), plus {@code X-Frame-Options: DENY},
 * {@code nosniff}, {@code no-referrer} and revalidation on every load.
 *
 * <p>How it combines with a global security-headers filter (one that sends {@code Content-Security-Policy:
 * default-src 'none'} for API and protocol responses): for {@code /admin/*} this policy is the one sent. This filter
 * sets its headers with {@code setHeader}, which replaces a policy an outer filter set before calling the chain, and it
 * hands the chain a response that ignores any later attempt to set or add a Content-Security-Policy, so a filter mapped
 * after this one cannot add a second policy (browsers enforce every policy they receive, so two would intersect to
 * {@code default-src 'none'} and break the page). The one combination it cannot undo is an outer filter that adds its
 * policy after the chain returns; such a filter must set its headers before calling the chain, or skip
 * {@code /admin/*}.
 */
public final class AdminPageFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    /** The dashboard's policy: everything from this origin only; nothing inline; never framed. */
    public static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
            + "form-action 'self'; base-uri 'none'";

    static final String CSP = "Content-Security-Policy";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader(CSP, POLICY);
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        response.setHeader("Cache-Control", "no-cache");
        chain.doFilter(request, new PolicyKeeper(response));
    }

    /** Keeps this filter's Content-Security-Policy: later set/add calls for that header are ignored. */
    private static final class PolicyKeeper extends HttpServletResponseWrapper {
        PolicyKeeper(HttpServletResponse response) {
            super(response);
        }

        private static boolean isPolicy(String name) {
            return name != null && name.toLowerCase(Locale.ROOT).startsWith("content-security-policy");
        }

        @Override
        public void setHeader(String name, String value) {
            if (!isPolicy(name)) {
                super.setHeader(name, value);
            }
        }

        @Override
        public void addHeader(String name, String value) {
            if (!isPolicy(name)) {
                super.addHeader(name, value);
            }
        }
    }
}
