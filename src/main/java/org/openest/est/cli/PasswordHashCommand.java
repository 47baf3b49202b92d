package org.openest.est.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * {@code est-admin password hash}: a password hash for tomcat-users.xml in the format of Tomcat's
 * {@code SecretKeyCredentialHandler}: {@code hexsalt$iterations$hexkey}, lower-case hex, PBKDF2 over the password's
 * characters (what {@code DigestCredentialHandlerBase.mutate} writes and {@code matches} reads).
 */
final class PasswordHashCommand implements Command {
    /** The JCA algorithm; must equal the CredentialHandler's {@code algorithm} attribute. */
    static final String ALGORITHM = "PBKDF2WithHmacSHA512";
    /** Salt length in bytes (the handler's {@code saltLength}). */
    static final int SALT_BYTES = 16;
    /** Derived key length in bits (the handler's {@code keyLength}). */
    static final int KEY_BITS = 256;
    private static final int DEFAULT_ITERATIONS = 100_000;
    private static final int WEAK_ITERATIONS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String name() {
        return "password hash";
    }

    @Override
    public String summary() {
        return "hash a password for Tomcat's tomcat-users.xml (PBKDF2-HMAC-SHA512)";
    }

    @Override
    public String help() {
        return """
                Usage: est-admin password hash [--iterations N] < password

                Reads a password from standard input - typed twice without echo when it is a terminal, else the
                first line - and prints its hash for tomcat-users.xml, exactly as Tomcat's
                  digest.sh -a PBKDF2WithHmacSHA512 -i 100000 -s 16 -k 256 \\
                      -h org.apache.catalina.realm.SecretKeyCredentialHandler
                makes it: hexsalt$iterations$hexkey (16-byte random salt, 256-bit key, lower-case hex). Use it as
                  <user username="NAME" password="HASH" roles="est-client" />
                under a Realm with <CredentialHandler className="org.apache.catalina.realm.SecretKeyCredentialHandler"
                algorithm="PBKDF2WithHmacSHA512" .../> (tomcat-conf/server.xml has one).

                The password is never an argument: arguments show in the process list and the shell history.
                In a script: printf '%s\\n' "$PASSWORD" | est-admin password hash   (printf is a shell builtin)

                Options:
                  --iterations N   PBKDF2 iterations (default 100000)""";
    }

    @Override
    public Options.Spec options() {
        return new Options.Spec().value("--iterations");
    }

    @Override
    public int run(Options options, Io io) throws UsageException, CliException, IOException,
            GeneralSecurityException {
        int iterations = Inputs.positive(options, "--iterations", DEFAULT_ITERATIONS, 100_000_000);
        if (iterations < WEAK_ITERATIONS) {
            io.warn(iterations + " iterations make the hash cheap to attack; use " + DEFAULT_ITERATIONS);
        }
        char[] password = io.console() != null ? fromConsole(io.console()) : firstLine(io);
        try {
            if (password.length == 0) {
                throw new CliException("the password is empty");
            }
            byte[] salt = new byte[SALT_BYTES];
            RANDOM.nextBytes(salt);
            io.out().println(hash(password, salt, iterations));
        } finally {
            Arrays.fill(password, '\0');
        }
        return 0;
    }

    /**
     * @param password the password
     * @param salt the salt
     * @param iterations the PBKDF2 iteration count
     * @return {@code hexsalt$iterations$hexkey}
     * @throws GeneralSecurityException if PBKDF2WithHmacSHA512 is unavailable
     */
    static String hash(char[] password, byte[] salt, int iterations) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, KEY_BITS);
        try {
            byte[] key = SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
            HexFormat hex = HexFormat.of();
            return hex.formatHex(salt) + "$" + iterations + "$" + hex.formatHex(key);
        } finally {
            spec.clearPassword();
        }
    }

    private static char[] fromConsole(Console console) throws CliException {
        char[] first = console.readPassword("Password: ");
        if (first == null) {
            throw new CliException("no password given");
        }
        char[] second = console.readPassword("Repeat password: ");
        try {
            if (second == null || !Arrays.equals(first, second)) {
                Arrays.fill(first, '\0');
                throw new CliException("the two passwords differ");
            }
            return first;
        } finally {
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }

    private static char[] firstLine(Io io) throws IOException, CliException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
        String line = reader.readLine();
        if (line == null) {
            throw new CliException("no password on standard input (pipe it in, e.g. printf '%s\\n' \"$PASSWORD\" |"
                    + " est-admin password hash)");
        }
        return line.endsWith("\r") ? line.substring(0, line.length() - 1).toCharArray() : line.toCharArray();
    }
}
