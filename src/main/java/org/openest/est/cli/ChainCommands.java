package org.openest.est.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.openest.est.ca.CertificateChains;
import org.openest.est.ca.PemText;

/** {@code est-admin chain export} and {@code chain list}: the CA chain for gateway teams, and what is in it. */
final class ChainCommands {
    private static final String OPTIONS =
            "  --ca-cert FILE   the CA certificate (PEM, may be followed by its issuers; DER or PKCS#7 also read)\n"
            + "  --chain FILE     more issuer certificates, in any order";

    private ChainCommands() {
    }

    private static Options.Spec spec() {
        return new Options.Spec().value("--ca-cert", "--chain");
    }

    private static CertificateChains.Chain load(Options options) throws UsageException, CliException, IOException {
        List<X509Certificate> pool = new ArrayList<>(Inputs.certificates(options.requiredPath("--ca-cert")));
        Optional<Path> chain = options.path("--chain");
        if (chain.isPresent()) {
            pool.addAll(Inputs.certificates(chain.get()));
        }
        return CertificateChains.build(pool.get(0), pool);
    }

    /** {@code chain export}. */
    static final class Export implements Command {
        @Override
        public String name() {
            return "chain export";
        }

        @Override
        public String summary() {
            return "write the CA chain as PEM, issuing CA first, to hand to gateway teams";
        }

        @Override
        public String help() {
            return """
                    Usage: est-admin chain export --ca-cert FILE [--chain FILE] [--out FILE] [--force]

                    Prints (or writes to --out) the CA chain as PEM: the CA certificate first, then each issuer up to
                    the root, duplicates removed - the same certificates GET /cacerts serves. Certificates that are
                    not issuers of the CA are left out with a warning.

                    Options:
                    """ + OPTIONS + "\n"
                    + "  --out FILE       write the PEM to FILE instead of standard output\n"
                    + "  --force          replace FILE if it exists";
        }

        @Override
        public Options.Spec options() {
            return spec().value("--out").flag("--force");
        }

        @Override
        public int run(Options options, Io io) throws UsageException, CliException, IOException {
            CertificateChains.Chain chain = load(options);
            for (X509Certificate unused : chain.unused()) {
                io.warn("left out " + Certs.subject(unused) + ": it is not an issuer of " + Certs.subject(
                        chain.path().get(0)));
            }
            Inputs.warnIfIncomplete(chain.path(), io);
            String pem = PemText.certificates(chain.path());
            Optional<Path> out = options.path("--out");
            if (out.isEmpty()) {
                io.out().print(pem);
                return 0;
            }
            Path file = out.get().toAbsolutePath().normalize();
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !options.has("--force")) {
                throw new CliException(file + " already exists; use --force to replace it");
            }
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, pem, StandardCharsets.US_ASCII);
            io.out().println("Wrote " + chain.path().size() + (chain.path().size() == 1 ? " certificate" :
                    " certificates") + " to " + file);
            return 0;
        }
    }

    /** {@code chain list}. */
    static final class ListChain implements Command {
        @Override
        public String name() {
            return "chain list";
        }

        @Override
        public String summary() {
            return "list subject, issuer, serial, validity and SHA-256 fingerprint of each CA certificate";
        }

        @Override
        public String help() {
            return """
                    Usage: est-admin chain list --ca-cert FILE [--chain FILE]

                    Lists the CA chain, CA first, then each issuer up to the root: subject, issuer, serial (hex),
                    notBefore, notAfter and the SHA-256 fingerprint of each certificate (compare it with
                    openssl x509 -noout -fingerprint -sha256). Certificates that are not part of the chain
                    are listed after it.

                    Options:
                    """ + OPTIONS;
        }

        @Override
        public Options.Spec options() {
            return spec();
        }

        @Override
        public int run(Options options, Io io) throws UsageException, CliException, IOException {
            CertificateChains.Chain chain = load(options);
            int index = 0;
            for (X509Certificate certificate : chain.path()) {
                print(io, ++index, certificate, index == 1 ? "CA" : "issuer");
            }
            for (X509Certificate certificate : chain.unused()) {
                print(io, ++index, certificate, "not part of the chain");
            }
            if (!chain.complete()) {
                io.out().println("The chain does not end at a self-signed root.");
            }
            return 0;
        }

        private static void print(Io io, int index, X509Certificate certificate, String role) {
            io.out().println("[" + index + "] " + role + (Certs.expired(certificate) ? " (EXPIRED)" : ""));
            io.out().println("    subject:    " + Certs.subject(certificate));
            io.out().println("    issuer:     " + Certs.dn(certificate.getIssuerX500Principal()));
            io.out().println("    serial:     " + Certs.serial(certificate));
            io.out().println("    notBefore:  " + Certs.date(certificate.getNotBefore()));
            io.out().println("    notAfter:   " + Certs.date(certificate.getNotAfter()));
            io.out().println("    key:        " + Certs.key(certificate.getPublicKey())
                    + (certificate.getBasicConstraints() >= 0 ? ", CA" : ""));
            io.out().println("    SHA-256:    " + Certs.fingerprint(certificate));
        }
    }
}
