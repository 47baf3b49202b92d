package org.openest.est.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.openest.est.ca.CaMaterial;
import org.openest.est.ca.KeyStores;
import org.openest.est.ca.KeyType;

/** {@code est-admin tls server}: the HTTPS connector's key store and trust store. */
final class TlsServerCommand implements Command {
    private static final int DEFAULT_DAYS = 825;

    @Override
    public String name() {
        return "tls server";
    }

    @Override
    public String summary() {
        return "create the server TLS keystore and the client-certificate truststore";
    }

    @Override
    public String help() {
        return """
                Usage: est-admin tls server --ca-cert FILE --ca-key FILE [--ca-chain FILE] --out DIR
                           (--dns NAME | --ip ADDRESS)... [--trust FILE]... [--subject DN] [--key TYPE]
                           [--days N] [--password-file FILE] [--force]

                Creates the key store and trust store of the EST server's HTTPS connector (tomcat-conf/server.xml
                reads them from ${est.home}/tls/, so --out is usually <data directory>/tls):
                  DIR/server.p12       key entry "server": the server key, its certificate and the CA chain (mode 600)
                  DIR/truststore.p12   the CAs whose client certificates the connector accepts: the CA given
                                       (not its issuers) and every --trust file

                The server certificate gets EKU serverAuth + id-kp-cmcRA (RFC 7030 3.6.1), keyUsage
                digitalSignature (+ keyEncipherment for RSA keys) and exactly the --dns and --ip values as
                subjectAltName; its subject is CN=<the first of them> unless --subject is given.

                Name every host name and address clients use. Clients compare the host in their URL with the SANs
                only: a gateway configured with https://10.1.2.3/ fails the TLS handshake unless 10.1.2.3 is
                given with --ip (an address given with --dns, or only in the CN, does not count).

                Options:
                  --ca-cert FILE         the EST CA certificate (PEM, may be followed by its issuers; or DER)
                  --ca-key FILE          its private key, unencrypted PEM
                  --ca-chain FILE        the CA's issuers, if not in --ca-cert (added to the key entry's chain)
                  --out DIR              output directory (created if missing)
                  --dns NAME             a DNS subjectAltName, e.g. est.hospital.example (repeatable)
                  --ip ADDRESS           an IP subjectAltName, IPv4 or IPv6 (repeatable)
                                         (at least one --dns or --ip is required)
                  --trust FILE           more CA certificates to accept client certificates from, e.g. a device
                                         manufacturer's CA or the issuer of a gateway's RA certificate (repeatable)
                  --subject DN           the server certificate's subject
                  --key TYPE             ec-p256 (default), ec-p384, rsa-2048, rsa-3072 or rsa-4096
                  --days N               validity in days (default 825; never past the CA's notAfter)
                  --password-file FILE   password of both stores: the first line of FILE
                                         (default "changeit", the public development password, with a warning)
                  --force                replace existing files""";
    }

    @Override
    public Options.Spec options() {
        return new Options.Spec().value("--ca-cert", "--ca-key", "--ca-chain", "--out", "--subject", "--key",
                "--days", "--password-file").repeated("--dns", "--ip", "--trust").flag("--force");
    }

    @Override
    public int run(Options options, Io io) throws UsageException, CliException, IOException,
            GeneralSecurityException {
        List<String> dns = new ArrayList<>();
        for (String name : options.all("--dns")) {
            dns.add(SubjectNames.dnsName(name));
        }
        List<String> ips = new ArrayList<>();
        for (String ip : options.all("--ip")) {
            ips.add(SubjectNames.ipAddress(ip));
        }
        if (dns.isEmpty() && ips.isEmpty()) {
            throw new UsageException("give at least one --dns NAME or --ip ADDRESS (the names clients connect to)");
        }
        String firstName = dns.isEmpty() ? ips.get(0) : dns.get(0);
        X500Name subject = options.has("--subject") ? Inputs.subject(options, "--subject", null)
                : new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, firstName).build();
        KeyType keyType = Inputs.keyType(options);
        int days = Inputs.days(options, DEFAULT_DAYS);
        Outputs outputs = Outputs.of(options);
        CaMaterial ca = Inputs.loadCa(options.requiredPath("--ca-cert"), options.requiredPath("--ca-key"),
                options.path("--ca-chain"), io);
        Inputs.warnIfIncomplete(ca.chain(), io);
        Map<String, X509Certificate> trusted = trusted(ca, options.all("--trust"), io);
        char[] password = Inputs.newPassword(options, "--password-file", io);
        Path keystore = outputs.file("server.p12");
        Path truststore = outputs.file("truststore.p12");
        outputs.prepare();

        KeyPair pair = keyType.generate();
        X509Certificate certificate = EndEntities.issue(ca, pair, subject,
                Optional.of(SubjectNames.subjectAltName(dns, ips)),
                List.of(KeyPurposeId.id_kp_serverAuth.toOID(), KeyPurposeId.id_kp_cmcRA.toOID()), days, io);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(ca.chain());
        outputs.writeSecret(keystore, KeyStores.keyStore("server", pair.getPrivate(), chain, password),
                "key entry \"server\": key, certificate, CA chain");
        outputs.writePublic(truststore, KeyStores.trustStore(trusted, password),
                trusted.size() + (trusted.size() == 1 ? " trusted CA" : " trusted CAs"));

        io.out().println("Created TLS server certificate " + Certs.subject(certificate) + " ("
                + Certs.key(pair.getPublic()) + ", valid until " + Certs.date(certificate.getNotAfter()) + ")");
        io.out().println("  subjectAltName: " + sanText(dns, ips));
        outputs.printSummary(io.out());
        trusted.forEach((alias, cert) -> io.out().println("  trusted " + alias + ": " + Certs.subject(cert)));
        return 0;
    }

    private static Map<String, X509Certificate> trusted(CaMaterial ca, List<String> trustFiles, Io io)
            throws IOException, CliException {
        Map<String, X509Certificate> trusted = new LinkedHashMap<>();
        trusted.put("est-ca", ca.certificate());
        int index = 0;
        for (String file : trustFiles) {
            for (X509Certificate certificate : Inputs.certificates(Path.of(file))) {
                if (trusted.containsValue(certificate)) {
                    continue;
                }
                if (certificate.getBasicConstraints() < 0) {
                    io.warn(file + ": " + Certs.subject(certificate) + " is not a CA certificate; trusting it"
                            + " accepts only that one certificate");
                }
                if (Certs.expired(certificate)) {
                    io.warn(file + ": " + Certs.subject(certificate) + " expired on "
                            + Certs.date(certificate.getNotAfter()));
                }
                trusted.put("trust-" + ++index, certificate);
            }
        }
        return trusted;
    }

    private static String sanText(List<String> dns, List<String> ips) {
        List<String> names = new ArrayList<>();
        dns.forEach(name -> names.add("DNS:" + name));
        ips.forEach(ip -> names.add("IP:" + ip));
        return String.join(", ", names);
    }
}
