package org.openest.est.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.openest.est.ca.CaCertificates;
import org.openest.est.ca.KeyStores;
import org.openest.est.ca.KeyType;
import org.openest.est.ca.PemText;

/** {@code est-admin ca create}: a self-signed root CA as PEM files (and optionally PKCS#12). */
final class CaCreateCommand implements Command {
    private static final int DEFAULT_DAYS = 3650;

    @Override
    public String name() {
        return "ca create";
    }

    @Override
    public String summary() {
        return "create a self-signed root CA";
    }

    @Override
    public String help() {
        return """
                Usage: est-admin ca create --out DIR [--subject DN] [--key TYPE] [--days N]
                                           [--p12-password-file FILE] [--force]

                Creates a self-signed root CA (basicConstraints CA:true, keyUsage keyCertSign + cRLSign):
                  DIR/ca.pem       the CA certificate: give it to EST clients and gateways to trust
                  DIR/ca-key.pem   its private key, unencrypted PKCS#8 PEM, mode 600 (keep it secret)
                  DIR/ca.p12       key + certificate as PKCS#12, alias "ca" (only with --p12-password-file)
                and prints the est.properties lines that make the EST server issue from it.

                Options:
                  --out DIR                  output directory (created if missing)
                  --subject DN               e.g. "CN=Hospital EST Root CA,O=Hospital" (default "CN=EST Root CA")
                  --key TYPE                 ec-p256 (default), ec-p384, rsa-2048, rsa-3072 or rsa-4096
                  --days N                   validity in days (default 3650)
                  --p12-password-file FILE   also write DIR/ca.p12, protected by the first line of FILE
                  --force                    replace existing files

                To keep the root key off the EST server, create a device CA under it with
                'est-admin ca create-intermediate' and configure the server with that one.""";
    }

    @Override
    public Options.Spec options() {
        return new Options.Spec().value("--out", "--subject", "--key", "--days", "--p12-password-file")
                .flag("--force");
    }

    @Override
    public int run(Options options, Io io) throws UsageException, CliException, IOException,
            GeneralSecurityException {
        X500Name subject = Inputs.subject(options, "--subject", "CN=EST Root CA");
        KeyType keyType = Inputs.keyType(options);
        int days = Inputs.days(options, DEFAULT_DAYS);
        Outputs outputs = Outputs.of(options);
        Optional<char[]> p12Password = p12Password(options);
        CaFiles files = CaFiles.plan(outputs, p12Password.isPresent(), false);
        outputs.prepare();

        KeyPair pair = keyType.generate();
        X509Certificate certificate = CaCertificates.selfSigned(pair, subject, Duration.ofDays(days));
        files.write(outputs, pair, List.of(certificate), p12Password);

        io.out().println("Created root CA " + Certs.subject(certificate) + " (" + Certs.key(pair.getPublic())
                + ", valid until " + Certs.date(certificate.getNotAfter()) + ")");
        outputs.printSummary(io.out());
        io.out().println();
        io.out().println("# est.properties");
        io.out().println(Outputs.property("ca.cert", files.cert()));
        io.out().println(Outputs.property("ca.key", files.key()));
        return 0;
    }

    /**
     * @param options options with an optional {@code --p12-password-file}
     * @return the PKCS#12 password when the file is given
     * @throws IOException if it cannot be read
     * @throws CliException if its first line is empty
     */
    static Optional<char[]> p12Password(Options options) throws IOException, CliException {
        Optional<Path> file = options.path("--p12-password-file");
        if (file.isEmpty()) {
            return Optional.empty();
        }
        char[] password = Inputs.readPasswordFile(file.get());
        if (password.length == 0) {
            throw new CliException("the first line of the password file " + file.get() + " is empty");
        }
        return Optional.of(password);
    }

    /**
     * The files of a created CA.
     *
     * @param cert {@code ca.pem}
     * @param key {@code ca-key.pem}
     * @param chain {@code ca-chain.pem} (the CA certificate and its issuers), or null for a root
     * @param p12 {@code ca.p12}, or null
     */
    record CaFiles(Path cert, Path key, Path chain, Path p12) {

        /**
         * @param outputs the output plan
         * @param withP12 whether to write {@code ca.p12}
         * @param withChain whether to write {@code ca-chain.pem}
         * @return the planned files
         */
        static CaFiles plan(Outputs outputs, boolean withP12, boolean withChain) {
            return new CaFiles(outputs.file("ca.pem"), outputs.file("ca-key.pem"),
                    withChain ? outputs.file("ca-chain.pem") : null, withP12 ? outputs.file("ca.p12") : null);
        }

        /**
         * @param outputs the output plan
         * @param pair the CA keys
         * @param chain the CA certificate followed by its issuers
         * @param p12Password the PKCS#12 password, if one is written
         * @throws IOException if a file cannot be written
         * @throws GeneralSecurityException if the PKCS#12 file cannot be built
         */
        void write(Outputs outputs, KeyPair pair, List<X509Certificate> chain, Optional<char[]> p12Password)
                throws IOException, GeneralSecurityException {
            outputs.writePublic(cert, PemText.certificates(chain.subList(0, 1)), "CA certificate");
            outputs.writeSecret(key, PemText.privateKeyPkcs8(pair.getPrivate()), "CA private key");
            if (chain() != null) {
                outputs.writePublic(chain(), PemText.certificates(chain), "CA certificate and its issuers");
            }
            if (p12 != null && p12Password.isPresent()) {
                outputs.writeSecret(p12, KeyStores.keyStore("ca", pair.getPrivate(), chain, p12Password.get()),
                        "PKCS#12, alias \"ca\", key and chain");
            }
        }
    }
}
