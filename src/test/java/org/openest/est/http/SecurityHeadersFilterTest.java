package org.openest.est.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;

/** The filter's content policy for HTML and non-HTML bodies, on an in-memory response. */
class SecurityHeadersFilterTest {

    /** A response that only keeps headers (case-insensitive names), enough for the filter. */
    static HttpServletResponse response(Map<String, String> headers) {
        return (HttpServletResponse) Proxy.newProxyInstance(SecurityHeadersFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "setHeader", "addHeader" -> headers.put((String) args[0], (String) args[1]);
                    case "setContentType" -> headers.put("Content-Type", (String) args[0]);
                    case "getHeader" -> headers.get((String) args[0]);
                    case "containsHeader" -> headers.containsKey((String) args[0]);
                    default -> null;
                });
    }

    static Map<String, String> run(FilterChain chain) throws Exception {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(
                SecurityHeadersFilterTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> null);
        new SecurityHeadersFilter().doFilter(request, response(headers), chain);
        return headers;
    }

    @Test
    void nonHtmlGetsTheFullPolicyAndServletHeadersWin() throws Exception {
        Map<String, String> headers = run((request, response) -> {
            ((HttpServletResponse) response).setContentType("application/json");
            ((HttpServletResponse) response).setHeader("Cache-Control", "max-age=60");
        });
        assertThat(headers).containsEntry("Content-Security-Policy", SecurityHeadersFilter.DEFAULT_CSP)
                .containsEntry("Cache-Control", "max-age=60").containsEntry("X-Frame-Options", "DENY");
    }

    @Test
    void htmlKeepsOnlyFrameAncestorsUnlessItSetsItsOwnPolicy() throws Exception {
        assertThat(run((request, response) -> response.setContentType("text/html; charset=UTF-8")))
                .containsEntry("Content-Security-Policy", "frame-ancestors 'none'");
        assertThat(run((request, response) -> ((HttpServletResponse) response).setHeader("content-type",
                "TEXT/HTML"))).containsEntry("Content-Security-Policy", "frame-ancestors 'none'");
        String own = "default-src 'self'; frame-ancestors 'none'";
        assertThat(run((request, response) -> {
            ((HttpServletResponse) response).setHeader("Content-Security-Policy", own);
            response.setContentType("text/html");
        })).containsEntry("Content-Security-Policy", own);
    }
}
