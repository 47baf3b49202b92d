package org.openest.est.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.openest.est.ca.CaMaterial;
import org.openest.est.ca.PemText;

/** {@code est-admin ca import}: checks an existing CA and writes it as the PEM files the server reads. */
final class CaImportCommand implements Command {

    @Override
    public String name() {
        return "ca import";
    }

    @Override
    public String summary() {
        return "check an existing CA (PKCS#12 or PEM) and write it as normalized PEM files";
    }

    @Override
    public String help() {
        return """
                Usage: est-admin ca import --p12 FILE --password-file FILE [--alias NAME] [--chain FILE]
                           --out DIR [--force]
                       est-admin ca import --cert FILE --key FILE [--chain FILE] --out DIR [--force]

                Checks an existing CA - the key matches the certificate, the certificate is a CA (basicConstraints
                CA:true, keyUsage keyCertSign) and not expired, the chain certificates really issued it - and writes:
                  DIR/ca.pem         the CA certificate
                  DIR/ca-chain.pem   its issuers, in order up to the root (only if there are any)
                  DIR/ca-key.pem     the private key, unencrypted PKCS#8 PEM, mode 600
                then prints the est.properties lines (ca.cert=, ca.key=, ca.chain=) that use them.
                Chain certificates may come in any order; ones that are not issuers of the CA are ignored with a
                warning.

                Options:
                  --p12 FILE             PKCS#12 keystore holding the CA key and certificate (and maybe its chain)
                  --password-file FILE   its password: the first line of FILE
                  --alias NAME           the key entry to use when the keystore holds several
                  --cert FILE            the CA certificate (PEM, may be followed by its issuers; or DER)
                  --key FILE             its private key, unencrypted PEM (PKCS#8 or traditional)
                  --chain FILE           more issuer certificates (PEM, DER or PKCS#7)
                  --out DIR              output directory (created if missing)
                  --force                replace existing files""";
    }

    @Override
    public Options.Spec options() {
        return new Options.Spec().value("--p12", "--password-file", "--alias", "--cert", "--key", "--chain", "--out")
                .flag("--force");
    }

    @Override
    public int run(Options options, Io io) throws UsageException, CliException, IOException,
            GeneralSecurityException {
        Outputs outputs = Outputs.of(options);
        CaMaterial ca = options.has("--p12") ? fromPkcs12(options, io) : fromPem(options, io);
        Inputs.warnIfIncomplete(ca.chain(), io);

        Path cert = outputs.file("ca.pem");
        Path key = outputs.file("ca-key.pem");
        List<X509Certificate> issuers = ca.chain().subList(1, ca.chain().size());
        Path chain = issuers.isEmpty() ? null : outputs.file("ca-chain.pem");
        outputs.prepare();
        outputs.writePublic(cert, PemText.certificates(List.of(ca.certificate())), "CA certificate");
        if (chain != null) {
            outputs.writePublic(chain, PemText.certificates(issuers), "its issuers, up to the root");
        }
        outputs.writeSecret(key, PemText.privateKeyPkcs8(ca.privateKey()), "CA private key");

        X509Certificate certificate = ca.certificate();
        io.out().println("Imported CA " + Certs.subject(certificate) + " (" + Certs.key(certificate.getPublicKey())
                + ", valid until " + Certs.date(certificate.getNotAfter()) + ", chain of " + ca.chain().size()
                + (ca.chain().size() == 1 ? " certificate)" : " certificates)"));
        outputs.printSummary(io.out());
        io.out().println();
        io.out().println("# est.properties");
        io.out().println(Outputs.property("ca.cert", cert));
        io.out().println(Outputs.property("ca.key", key));
        io.out().println(chain == null ? "ca.chain=" : Outputs.property("ca.chain", chain));
        return 0;
    }

    private static CaMaterial fromPkcs12(Options options, Io io) throws UsageException, CliException, IOException {
        for (String pem : List.of("--cert", "--key")) {
            if (options.has(pem)) {
                throw new UsageException("--p12 and " + pem + " cannot be used together");
            }
        }
        Path file = options.requiredPath("--p12");
        Path passwordFile = options.get("--password-file").map(Path::of).orElseThrow(
                () -> new UsageException("--password-file is required with --p12"));
        CaMaterial stored;
        try {
            stored = CaMaterial.fromPkcs12(file, Inputs.readPasswordFile(passwordFile), options.get("--alias"));
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw new CliException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new CliException(file + ": " + e.getMessage(), e);
        }
        List<X509Certificate> pool = new ArrayList<>(stored.chain());
        if (options.has("--chain")) {
            pool.addAll(Inputs.certificates(options.requiredPath("--chain")));
        }
        return Inputs.caMaterial(stored.privateKey(), stored.certificate(), pool, io);
    }

    private static CaMaterial fromPem(Options options, Io io) throws UsageException, CliException, IOException {
        for (String p12 : List.of("--password-file", "--alias")) {
            if (options.has(p12)) {
                throw new UsageException(p12 + " only goes with --p12");
            }
        }
        if (!options.has("--cert") || !options.has("--key")) {
            throw new UsageException("give either --p12 FILE --password-file FILE, or --cert FILE --key FILE");
        }
        Path certFile = options.requiredPath("--cert");
        List<X509Certificate> pool = new ArrayList<>(Inputs.certificates(certFile));
        if (options.has("--chain")) {
            pool.addAll(Inputs.certificates(options.requiredPath("--chain")));
        }
        PrivateKey key = CaMaterial.readPrivateKey(options.requiredPath("--key"));
        return Inputs.caMaterial(key, pool.get(0), pool, io);
    }
}
