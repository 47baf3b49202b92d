package org.openest.est.cli;

/** An expected failure with a message meant for the administrator: {@code est-admin} prints it and exits with 1. */
final class CliException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * @param message one line saying what is wrong and, where possible, what to do
     */
    CliException(String message) {
        super(message);
    }

    /**
     * @param message one line saying what is wrong
     * @param cause the underlying exception (shown with {@code --debug})
     */
    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
