package org.openest.est.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * The streams of one {@code est-admin} run: results go to {@code out}, warnings and errors to {@code err}.
 *
 * @param in standard input
 * @param out standard output
 * @param err standard error
 * @param console the terminal when standard input and output are one (for reading passwords without echo), or null
 */
record Io(InputStream in, PrintStream out, PrintStream err, Console console) {

    /**
     * Prints {@code WARNING: message} on standard error.
     *
     * @param message one line
     */
    void warn(String message) {
        err.println("WARNING: " + message);
    }
}
