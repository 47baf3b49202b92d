package org.openest.est.cli;

import java.io.IOException;
import java.security.GeneralSecurityException;

/** One {@code est-admin} command such as {@code ca create}. */
interface Command {

    /** @return the command words, e.g. {@code ca create} */
    String name();

    /** @return a one-line description for the command list */
    String summary();

    /** @return the full {@code --help} text */
    String help();

    /** @return the options this command accepts ({@code --help} is always accepted) */
    Options.Spec options();

    /**
     * @param options the parsed options
     * @param io the streams
     * @return the exit code (0 on success)
     * @throws UsageException if the options are inconsistent (exit 2)
     * @throws CliException on an expected failure (exit 1)
     * @throws IOException if a file cannot be read or written (exit 1)
     * @throws GeneralSecurityException on a cryptographic failure (exit 1)
     */
    int run(Options options, Io io) throws UsageException, CliException, IOException, GeneralSecurityException;
}
