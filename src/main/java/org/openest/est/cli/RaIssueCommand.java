package org.openest.est.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.openest.est.ca.CaMaterial;
import org.openest.est.ca.KeyStores;
import org.openest.est.ca.KeyType;
import org.openest.est.ca.PemText;

/** {@code est-admin ra issue}: an RA certificate for a gateway, as PKCS#12 and as PEM files. */
final class RaIssueCommand implements Command {
    private static final int DEFAULT_DAYS = 730;

    @Override
    public String name() {
        return "ra issue";
    }

    @Override
    public String summary() {
        return "issue an RA certificate (clientAuth + id-kp-cmcRA) for a gateway";
    }

    @Override
    public String help() {
        return """
                Usage: est-admin ra issue --ca-cert FILE --ca-key FILE [--ca-chain FILE] --subject DN --out DIR
                           [--key TYPE] [--days N] [--password-file FILE] [--force]

                Issues a registration authority (RA) certificate for a gateway that enrolls devices on their
                behalf: EKU clientAuth + id-kp-cmcRA, keyUsage digitalSignature (+ keyEncipherment for RSA keys).
                A TLS client presenting an id-kp-cmcRA certificate from the EST server's own CA may enroll any
                subject, so issue it with the CA the server uses. Written in both forms gateway UIs ask for:
                  DIR/ra.p12         PKCS#12, alias "ra": key, certificate and CA chain (mode 600)
                  DIR/ra.pem         the RA certificate
                  DIR/ra-key.pem     its private key, unencrypted PKCS#8 PEM (mode 600)
                  DIR/ca-chain.pem   the CA chain, issuing CA first: the gateway trusts the EST server with it

                Options:
                  --ca-cert FILE         the EST CA certificate (PEM, may be followed by its issuers; or DER)
                  --ca-key FILE          its private key, unencrypted PEM
                  --ca-chain FILE        the CA's issuers, if not in --ca-cert
                  --subject DN           e.g. "CN=gateway-ward-3,O=Hospital" (required)
                  --out DIR              output directory (created if missing)
                  --key TYPE             ec-p256 (default), ec-p384, rsa-2048, rsa-3072 or rsa-4096
                  --days N               validity in days (default 730; never past the CA's notAfter)
                  --password-file FILE   password of ra.p12: the first line of FILE
                                         (default "changeit", the public development password, with a warning)
                  --force                replace existing files""";
    }

    @Override
    public Options.Spec options() {
        return new Options.Spec().value("--ca-cert", "--ca-key", "--ca-chain", "--subject", "--out", "--key",
                "--days", "--password-file").flag("--force");
    }

    @Override
    public int run(Options options, Io io) throws UsageException, CliException, IOException,
            GeneralSecurityException {
        X500Name subject = Inputs.subject(options, "--subject", null);
        KeyType keyType = Inputs.keyType(options);
        int days = Inputs.days(options, DEFAULT_DAYS);
        Outputs outputs = Outputs.of(options);
        CaMaterial ca = Inputs.loadCa(options.requiredPath("--ca-cert"), options.requiredPath("--ca-key"),
                options.path("--ca-chain"), io);
        Inputs.warnIfIncomplete(ca.chain(), io);
        char[] password = Inputs.newPassword(options, "--password-file", io);
        Path p12 = outputs.file("ra.p12");
        Path cert = outputs.file("ra.pem");
        Path key = outputs.file("ra-key.pem");
        Path chainFile = outputs.file("ca-chain.pem");
        outputs.prepare();

        KeyPair pair = keyType.generate();
        X509Certificate certificate = EndEntities.issue(ca, pair, subject, Optional.empty(),
                List.of(KeyPurposeId.id_kp_clientAuth.toOID(), KeyPurposeId.id_kp_cmcRA.toOID()), days, io);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(ca.chain());
        outputs.writeSecret(p12, KeyStores.keyStore("ra", pair.getPrivate(), chain, password),
                "PKCS#12, alias \"ra\": key, certificate, CA chain");
        outputs.writePublic(cert, PemText.certificates(List.of(certificate)), "RA certificate");
        outputs.writeSecret(key, PemText.privateKeyPkcs8(pair.getPrivate()), "RA private key");
        outputs.writePublic(chainFile, PemText.certificates(ca.chain()), "CA chain, issuing CA first");

        io.out().println("Issued RA certificate " + Certs.subject(certificate) + " (" + Certs.key(pair.getPublic())
                + ", serial " + Certs.serial(certificate) + ", valid until " + Certs.date(certificate.getNotAfter())
                + "), issued by " + Certs.subject(ca.certificate()));
        outputs.printSummary(io.out());
        return 0;
    }
}
