package org.openest.est.hostile;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The rule every answer to hostile input must follow: a 4xx (or, where the container may cut the exchange short, a
 * closed connection), never 1xx/2xx/3xx/5xx. An answer from the webapp (it carries {@code X-Request-Id}) is a
 * {@code text/plain} one-liner without exception text, except a 401, which has an empty body and a challenge.
 */
public final class WireCheck {
    private WireCheck() {
    }

    /**
     * @param status the status, or a negative number if the connection closed without an answer
     * @param header header lookup (case-insensitive name to first value)
     * @param body the body
     * @param closeAllowed whether a closed connection is an acceptable answer here
     * @param webappRequired whether the answer must come from the webapp (not the container)
     * @return the problem, or empty if the answer is acceptable
     */
    public static Optional<String> problem(int status, Function<String, Optional<String>> header, byte[] body,
                                           boolean closeAllowed, boolean webappRequired) {
        if (status < 0) {
            return closeAllowed ? Optional.empty() : Optional.of("connection closed without an answer");
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (status < 400 || status >= 500) {
            return Optional.of("status " + status + " " + abbreviate(text));
        }
        boolean webapp = header.apply("X-Request-Id").isPresent();
        if (!webapp) {
            return webappRequired ? Optional.of(status + " not answered by the webapp") : Optional.empty();
        }
        if (status == 401) {
            if (body.length > 0) {
                return Optional.of("401 with a body (breaks Bouncy Castle's client)");
            }
            return header.apply("WWW-Authenticate").isPresent() ? Optional.empty()
                    : Optional.of("401 without WWW-Authenticate");
        }
        String type = header.apply("Content-Type").orElse("").replace(" ", "").toLowerCase(Locale.ROOT);
        if (!type.equals("text/plain;charset=utf-8")) {
            return Optional.of(status + " with Content-Type '" + type + "'");
        }
        if (!text.endsWith("\n") || text.strip().contains("\n") || text.strip().isEmpty()) {
            return Optional.of(status + " body is not one line of text: " + abbreviate(text));
        }
        if (text.contains("Exception") || text.contains("\tat ")) {
            return Optional.of(status + " leaks exception text: " + abbreviate(text));
        }
        return Optional.empty();
    }

    private static String abbreviate(String text) {
        String line = text.replaceAll("[\\r\\n]+", " ").strip();
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }
}
