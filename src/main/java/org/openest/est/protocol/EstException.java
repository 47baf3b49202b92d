package org.openest.est.protocol;

/** A client-visible EST failure: one {@link EstError} plus an optional more precise detail. */
public final class EstException extends Exception {
    private static final long serialVersionUID = 1L;

    private final EstError error;
    private final String detail;

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
        super(detail == null ? error.reason() : error.reason() + ": " + detail, null, false, false);
        this.error = error;
        this.detail = detail;
    }

    /** @return the error */
    public EstError error() {
        return error;
    }

    /** @return the detail, or null */
    public String detail() {
        return detail;
    }
}
