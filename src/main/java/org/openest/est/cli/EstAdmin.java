package org.openest.est.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.openest.est.ca.CaMaterial;
import org.openest.est.ca.DevPki;

/** Entry point of {@code est-admin}. Exit codes: 0 success, 1 failure, 2 usage error. */
public final class EstAdmin {
    private EstAdmin() {
    }

    /**
     * @param args command and options
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * @param args command and options
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println("""
                    Usage: est-admin <command> [options]

                    Commands:
                      dev-setup   create the development CA and TLS keystores in a data directory (idempotent)

                    Run 'est-admin <command> --help' for the options of a command.""");
            return args.length == 0 ? 2 : 0;
        }
        try {
            return switch (args[0]) {
                case "dev-setup" -> devSetup(List.of(args).subList(1, args.length), out);
                default -> {
                    err.println("est-admin: unknown command '" + args[0] + "' (see est-admin --help)");
                    yield 2;
                }
            };
        } catch (UsageException e) {
            err.println("est-admin " + args[0] + ": " + e.getMessage());
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("est-admin " + args[0] + ": " + e.getMessage());
            return 1;
        }
    }

    private static int devSetup(List<String> args, PrintStream out) throws IOException, UsageException {
        Path home = null;
        List<String> dns = new ArrayList<>(List.of("localhost"));
        List<String> ips = new ArrayList<>(List.of("127.0.0.1"));
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--help" -> {
                    out.println("""
                            Usage: est-admin dev-setup --home DIR [--dns NAME]... [--ip ADDRESS]...

                            Creates, if absent, in DIR: ca.pem + ca-key.pem (EC P-256 development CA),
                            tls/server.p12 (server key and certificate, SAN DNS:localhost and IP:127.0.0.1 plus
                            the names given) and tls/truststore.p12 (the CA). Keystore password: changeit.
                            For development only.""");
                    return 0;
                }
                case "--home" -> home = Path.of(value(args, ++i, "--home"));
                case "--dns" -> dns.add(value(args, ++i, "--dns"));
                case "--ip" -> ips.add(value(args, ++i, "--ip"));
                default -> throw new UsageException("unknown option " + args.get(i));
            }
        }
        if (home == null) {
            throw new UsageException("--home DIR is required");
        }
        DevPki pki = new DevPki(home);
        boolean existed = pki.hasCa();
        CaMaterial ca = pki.ensureCa();
        pki.ensureTls(ca, dns, ips);
        out.println((existed ? "Using existing" : "Created") + " development CA " + pki.caCertificate());
        out.println("TLS keystore " + pki.serverKeystore() + ", truststore " + pki.truststore());
        return 0;
    }

    private static String value(List<String> args, int index, String option) throws UsageException {
        if (index >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(index);
    }

    /** Bad command line. */
    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
