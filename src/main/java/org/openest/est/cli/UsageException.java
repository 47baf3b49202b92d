package org.openest.est.cli;

/** A bad command line: {@code est-admin} prints the message and exits with 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * @param message one line naming the offending option or argument
     */
    UsageException(String message) {
        super(message);
    }
}
