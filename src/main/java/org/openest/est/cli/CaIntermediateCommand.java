package org.openest.est.cli;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.openest.est.ca.CaCertificates;
import org.openest.est.ca.CaMaterial;
import org.openest.est.ca.KeyType;

/** {@code est-admin ca create-intermediate}: a device CA (pathLen 0) signed by a given CA. */
final class CaIntermediateCommand implements Command {
    private static final int DEFAULT_DAYS = 1825;

    @Override
    public String name() {
        return "ca create-intermediate";
    }

    @Override
    public String summary() {
        return "create an intermediate \"device CA\" signed by a root CA";
    }

    @Override
    public String help() {
        return """
                Usage: est-admin ca create-intermediate --issuer-cert FILE --issuer-key FILE [--issuer-chain FILE]
                           --out DIR [--subject DN] [--key TYPE] [--days N] [--p12-password-file FILE] [--force]

                Creates an intermediate "device CA" signed by the issuer (basicConstraints CA:true with pathLen 0,
                so it can issue device certificates but no further CA; keyUsage keyCertSign + cRLSign):
                  DIR/ca.pem         the intermediate CA certificate
                  DIR/ca-key.pem     its private key, unencrypted PKCS#8 PEM, mode 600
                  DIR/ca-chain.pem   the intermediate followed by its issuers up to the root (what /cacerts serves)
                  DIR/ca.p12         key + chain as PKCS#12, alias "ca" (only with --p12-password-file)
                and prints the est.properties lines for the EST server.

                Options:
                  --issuer-cert FILE         the signing (root) CA certificate, PEM or DER
                  --issuer-key FILE          its private key, unencrypted PEM
                  --issuer-chain FILE        the issuer's own issuers, if it is not a root
                  --out DIR                  output directory (created if missing)
                  --subject DN               e.g. "CN=Hospital EST Device CA,O=Hospital" (default "CN=EST Device CA")
                  --key TYPE                 ec-p256 (default), ec-p384, rsa-2048, rsa-3072 or rsa-4096
                  --days N                   validity in days (default 1825; never past the issuer's notAfter)
                  --p12-password-file FILE   also write DIR/ca.p12, protected by the first line of FILE
                  --force                    replace existing files""";
    }

    @Override
    public Options.Spec options() {
        return new Options.Spec().value("--issuer-cert", "--issuer-key", "--issuer-chain", "--out", "--subject",
                "--key", "--days", "--p12-password-file").flag("--force");
    }

    @Override
    public int run(Options options, Io io) throws UsageException, CliException, IOException,
            GeneralSecurityException {
        X500Name subject = Inputs.subject(options, "--subject", "CN=EST Device CA");
        KeyType keyType = Inputs.keyType(options);
        int days = Inputs.days(options, DEFAULT_DAYS);
        Outputs outputs = Outputs.of(options);
        CaMaterial issuer = Inputs.loadCa(options.requiredPath("--issuer-cert"),
                options.requiredPath("--issuer-key"), options.path("--issuer-chain"), io);
        Optional<char[]> p12Password = CaCreateCommand.p12Password(options);
        CaCreateCommand.CaFiles files = CaCreateCommand.CaFiles.plan(outputs, p12Password.isPresent(), true);
        outputs.prepare();

        KeyPair pair = keyType.generate();
        X509Certificate certificate;
        try {
            certificate = CaCertificates.intermediate(issuer, pair.getPublic(), subject, Duration.ofDays(days), 0);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
        Instant requested = Instant.now().plus(Duration.ofDays(days)).minus(Duration.ofMinutes(5));
        if (certificate.getNotAfter().toInstant().isBefore(requested)) {
            io.warn("validity shortened to the issuer's notAfter, " + Certs.date(certificate.getNotAfter()));
        }
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(issuer.chain());
        Inputs.warnIfIncomplete(chain, io);
        files.write(outputs, pair, chain, p12Password);

        io.out().println("Created intermediate CA " + Certs.subject(certificate) + " (" + Certs.key(pair.getPublic())
                + ", pathLen 0, valid until " + Certs.date(certificate.getNotAfter()) + "), issued by "
                + Certs.subject(issuer.certificate()));
        outputs.printSummary(io.out());
        io.out().println();
        io.out().println("# est.properties (ca-chain.pem holds the CA certificate followed by its issuers)");
        io.out().println(Outputs.property("ca.cert", files.chain()));
        io.out().println(Outputs.property("ca.key", files.key()));
        return 0;
    }
}
