package org.openest.est.protocol;

import java.util.OptionalLong;

/**
 * A client-visible EST failure: one {@link EstError} plus an optional more precise detail and an optional
 * Retry-After.
 */
public final class EstException extends Exception {
    private static final long serialVersionUID = 1L;

    private final EstError error;
    private final String detail;
    private final long retryAfterSeconds;

    /**
     * @param error the error
     */
    public EstException(EstError error) {
        this(error, null);
    }

    /**
     * @param error the error
     * @param detail a short, safe precision appended to the reason (no secrets, no exception text), or null
     */
    public EstException(EstError error, String detail) {
        this(error, detail, -1);
    }

    /**
     * @param error the error
     * @param detail a short, safe precision appended to the reason, or null
     * @param retryAfterSeconds the Retry-After to send, or a negative number for the default
     */
    public EstException(EstError error, String detail, long retryAfterSeconds) {
        super(detail == null ? error.reason() : error.reason() + ": " + detail, null, false, false);
        this.error = error;
        this.detail = detail;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** @return the error */
    public EstError error() {
        return error;
    }

    /** @return the detail, or null */
    public String detail() {
        return detail;
    }

    /** @return the Retry-After this failure asks for, if it names one */
    public OptionalLong retryAfter() {
        return retryAfterSeconds < 0 ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }
}
