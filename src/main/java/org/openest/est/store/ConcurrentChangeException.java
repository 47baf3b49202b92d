package org.openest.est.store;

/** A device's current certificate changed under a transaction; the transaction is run again. */
final class ConcurrentChangeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConcurrentChangeException() {
        super("concurrent change", null, false, false);
    }
}
