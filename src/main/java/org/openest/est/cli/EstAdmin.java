package org.openest.est.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Entry point of {@code bin/est-admin}, the EST server's admin tool: CA creation and import, TLS and RA
 * certificates, password hashes for tomcat-users.xml, CA chain export, and the development setup. Needs only the
 * WAR's classes and libraries (never the servlet API). Exit codes: 0 success, 1 failure, 2 usage error; errors are
 * one line on standard error, with a stack trace only under {@code --debug}.
 */
public final class EstAdmin {
    private static final List<Command> COMMANDS = List.of(
            new CaCreateCommand(),
            new CaIntermediateCommand(),
            new CaImportCommand(),
            new TlsServerCommand(),
            new RaIssueCommand(),
            new PasswordHashCommand(),
            new ChainCommands.Export(),
            new ChainCommands.ListChain(),
            new DevSetupCommand());

    private EstAdmin() {
    }

    /**
     * @param args command and options
     */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /**
     * Runs one command with standard input as input.
     *
     * @param args command and options
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err);
    }

    /**
     * Runs one command.
     *
     * @param args command and options; {@code --debug} anywhere adds stack traces to failures
     * @param in standard input (a password for {@code password hash}); when it is {@link System#in} and a terminal,
     *           passwords are read without echo
     * @param out standard output
     * @param err standard error
     * @return the exit code: 0 success, 1 failure, 2 usage error
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>(List.of(args));
        boolean debug = words.removeIf(word -> word.equals("--debug"));
        Console console = in == System.in ? terminal() : null;
        Io io = new Io(in, out, err, console);
        if (words.isEmpty()) {
            err.println(overview());
            return 2;
        }
        String first = words.get(0);
        if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
            out.println(overview());
            return 0;
        }
        Optional<Command> single = find(first);
        if (single.isPresent()) {
            return execute(single.get(), words.subList(1, words.size()), io, debug);
        }
        if (!groups().contains(first)) {
            err.println("est-admin: unknown command '" + first + "' (see est-admin --help)");
            return 2;
        }
        if (words.size() == 1 || words.get(1).startsWith("-")) {
            boolean help = words.size() > 1 && (words.get(1).equals("--help") || words.get(1).equals("-h"));
            (help ? out : err).println(groupHelp(first));
            return help ? 0 : 2;
        }
        Optional<Command> command = find(first + " " + words.get(1));
        if (command.isEmpty()) {
            err.println("est-admin " + first + ": unknown command '" + words.get(1) + "' (see est-admin " + first
                    + " --help)");
            return 2;
        }
        return execute(command.get(), words.subList(2, words.size()), io, debug);
    }

    /**
     * @return the console if standard input and output are a terminal, else null. Java 22 and later return a console
     *         even for redirected streams and tell them apart with {@code isTerminal()}, looked up reflectively since
     *         this code is compiled for Java 17.
     */
    private static Console terminal() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            Object terminal = Console.class.getMethod("isTerminal").invoke(console);
            return Boolean.TRUE.equals(terminal) ? console : null;
        } catch (NoSuchMethodException e) {
            return console;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static int execute(Command command, List<String> args, Io io, boolean debug) {
        String prefix = "est-admin " + command.name() + ": ";
        try {
            Options options = command.options().parse(args);
            if (options.help()) {
                io.out().println(command.help());
                return 0;
            }
            return command.run(options, io);
        } catch (UsageException e) {
            io.err().println(prefix + e.getMessage() + " (see est-admin " + command.name() + " --help)");
            return 2;
        } catch (CliException | IOException | GeneralSecurityException | IllegalArgumentException
                 | IllegalStateException e) {
            io.err().println(prefix + message(e));
            if (debug) {
                e.printStackTrace(io.err());
            }
            return 1;
        } catch (RuntimeException e) {
            io.err().println(prefix + "internal error: " + message(e)
                    + (debug ? "" : " (run again with --debug for details)"));
            if (debug) {
                e.printStackTrace(io.err());
            }
            return 1;
        }
    }

    /**
     * @param failure an exception
     * @return its message and its causes' messages on one line, with file-system errors spelled out; the message
     *         alone for a {@link CliException}, which is written for the administrator
     */
    static String message(Throwable failure) {
        StringBuilder text = new StringBuilder(describe(failure));
        Throwable cause = failure instanceof CliException ? null : failure.getCause();
        for (int depth = 0; cause != null && cause != failure && depth < 5; depth++) {
            String part = describe(cause);
            if (!text.toString().contains(part)) {
                text.append(": ").append(part);
            }
            cause = cause.getCause();
        }
        return text.toString().replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static String describe(Throwable failure) {
        if (failure instanceof NoSuchFileException e) {
            return "no such file: " + e.getFile();
        }
        if (failure instanceof AccessDeniedException e) {
            return "permission denied: " + e.getFile();
        }
        if (failure instanceof FileAlreadyExistsException e) {
            return e.getFile() + " already exists";
        }
        if (failure instanceof NotDirectoryException e) {
            return e.getFile() + " is not a directory";
        }
        if (failure instanceof FileSystemException e && e.getReason() != null) {
            return e.getFile() + ": " + e.getReason();
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    private static Optional<Command> find(String name) {
        return COMMANDS.stream().filter(command -> command.name().equals(name)).findFirst();
    }

    private static Set<String> groups() {
        Set<String> groups = new LinkedHashSet<>();
        COMMANDS.stream().filter(command -> command.name().contains(" "))
                .forEach(command -> groups.add(command.name().substring(0, command.name().indexOf(' '))));
        return groups;
    }

    private static String overview() {
        StringBuilder text = new StringBuilder("""
                Usage: est-admin [--debug] <command> [options]

                Commands:
                """);
        COMMANDS.forEach(command -> text.append(String.format("  %-24s %s%n", command.name(), command.summary())));
        text.append("""

                Run 'est-admin <command> --help' for the options of a command. Exit codes: 0 success, 1 failure,
                2 usage error. --debug shows stack traces of failures.""");
        return text.toString();
    }

    private static String groupHelp(String group) {
        StringBuilder text = new StringBuilder("Usage: est-admin " + group + " <command> [options]\n\nCommands:\n");
        COMMANDS.stream().filter(command -> command.name().startsWith(group + " ")).forEach(command ->
                text.append(String.format("  %-24s %s%n", command.name(), command.summary())));
        text.append("\nRun 'est-admin ").append(group).append(" <command> --help' for the options of a command.");
        return text.toString();
    }
}
