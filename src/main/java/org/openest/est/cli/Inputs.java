package org.openest.est.cli;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.openest.est.ca.CaCertificates;
import org.openest.est.ca.CaMaterial;
import org.openest.est.ca.CertificateChains;
import org.openest.est.ca.DevPki;
import org.openest.est.ca.KeyType;

/** Reading what the administrator gives: option values, password files, certificate and key files, a CA. */
final class Inputs {
    /** Most days any certificate may be valid for (100 years). */
    static final int MAX_DAYS = 36_500;

    private Inputs() {
    }

    /**
     * @param options the options
     * @param name the DN option, e.g. {@code --subject}
     * @param fallback the DN when the option is absent, or null if it is required
     * @return the parsed DN (encoded in the order written, as openssl's {@code -subj} does)
     * @throws UsageException if it is missing, empty or malformed
     */
    static X500Name subject(Options options, String name, String fallback) throws UsageException {
        String text = fallback == null ? options.required(name) : options.get(name).orElse(fallback);
        X500Name dn;
        try {
            dn = new X500Name(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(name + " '" + text + "' is not a distinguished name such as \"CN=Name,O=Org\"");
        }
        if (dn.getRDNs().length == 0) {
            throw new UsageException(name + " must not be empty");
        }
        return dn;
    }

    /**
     * @param options the options
     * @param fallback the validity when {@code --days} is absent
     * @return the validity in days
     * @throws UsageException if not a whole number from 1 to {@value #MAX_DAYS}
     */
    static int days(Options options, int fallback) throws UsageException {
        return positive(options, "--days", fallback, MAX_DAYS);
    }

    /**
     * @param options the options
     * @param name the option
     * @param fallback its value when absent
     * @param max the largest value allowed
     * @return the value
     * @throws UsageException if not a whole number from 1 to max
     */
    static int positive(Options options, String name, int fallback, int max) throws UsageException {
        Optional<String> text = options.get(name);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(name + " must be a whole number from 1 to " + max + ", not '" + text.get() + "'");
    }

    /**
     * @param options the options
     * @return the {@code --key} type, EC P-256 when absent
     * @throws UsageException if unknown
     */
    static KeyType keyType(Options options) throws UsageException {
        Optional<String> text = options.get("--key");
        if (text.isEmpty()) {
            return KeyType.EC_P256;
        }
        return KeyType.byLabel(text.get()).orElseThrow(() -> new UsageException(
                "--key must be one of " + KeyType.labels() + ", not '" + text.get() + "'"));
    }

    /**
     * @param file a password file
     * @return its first line, without the line end (may be empty)
     * @throws IOException if it cannot be read
     */
    static char[] readPasswordFile(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = reader.readLine();
            return line == null ? new char[0] : line.toCharArray();
        }
    }

    /**
     * The password for a key store being written: the first line of the file named by the option, or the public
     * development password with a warning.
     *
     * @param options the options
     * @param name the password file option, e.g. {@code --password-file}
     * @param io for the warning
     * @return the password
     * @throws IOException if the file cannot be read
     * @throws CliException if its first line is empty
     */
    static char[] newPassword(Options options, String name, Io io) throws IOException, CliException {
        Optional<Path> file = options.path(name);
        if (file.isEmpty()) {
            io.warn("no " + name + ": the keystores use the public default password '" + DevPki.DEV_PASSWORD_TEXT
                    + "' (development only)");
            return DevPki.DEV_PASSWORD_TEXT.toCharArray();
        }
        char[] password = readPasswordFile(file.get());
        if (password.length == 0) {
            throw new CliException("the first line of the password file " + file.get() + " is empty");
        }
        return password;
    }

    /**
     * @param file PEM (any number of certificates), DER or a PKCS#7 bundle
     * @return the certificates in file order, at least one
     * @throws IOException if unreadable
     * @throws CliException if it holds no certificate
     */
    static List<X509Certificate> certificates(Path file) throws IOException, CliException {
        byte[] bytes = Files.readAllBytes(file);
        List<X509Certificate> certificates = new ArrayList<>();
        if (new String(bytes, StandardCharsets.ISO_8859_1).contains("-----BEGIN")) {
            certificates.addAll(CaMaterial.readCertificates(file));
        } else {
            try {
                for (Certificate certificate : CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(bytes))) {
                    certificates.add((X509Certificate) certificate);
                }
            } catch (GeneralSecurityException e) {
                throw new CliException(file + " holds no certificate (PEM, DER or PKCS#7 expected)", e);
            }
        }
        if (certificates.isEmpty()) {
            throw new CliException(file + " holds no certificate");
        }
        return certificates;
    }

    /**
     * @param certFile the CA certificate, optionally followed by its issuers
     * @param keyFile its unencrypted PEM private key
     * @param chainFile more issuer certificates, if any (order and duplicates do not matter)
     * @param io for warnings about certificates that are not issuers of the CA
     * @return the CA, validated by {@link CaMaterial}, with its chain ordered up to the root when known
     * @throws IOException if a file cannot be read
     * @throws CliException if the key does not match, the certificate is no CA or is expired
     */
    static CaMaterial loadCa(Path certFile, Path keyFile, Optional<Path> chainFile, Io io)
            throws IOException, CliException {
        List<X509Certificate> certificates = new ArrayList<>(certificates(certFile));
        if (chainFile.isPresent()) {
            certificates.addAll(certificates(chainFile.get()));
        }
        PrivateKey key = CaMaterial.readPrivateKey(keyFile);
        return caMaterial(key, certificates.get(0), certificates, io);
    }

    /**
     * @param key the CA private key
     * @param ca the CA certificate
     * @param pool candidate issuers
     * @param io for warnings
     * @return the validated CA with its chain in order
     * @throws CliException if the key does not match, the certificate is no CA or is expired
     */
    static CaMaterial caMaterial(PrivateKey key, X509Certificate ca, List<X509Certificate> pool, Io io)
            throws CliException {
        CertificateChains.Chain chain = CertificateChains.build(ca, pool);
        for (X509Certificate unused : chain.unused()) {
            io.warn("ignoring certificate " + Certs.subject(unused) + ": it is not an issuer of the CA "
                    + Certs.subject(ca));
        }
        if (ca.getBasicConstraints() < 0) {
            throw new CliException(Certs.subject(ca) + " is not a CA certificate (basicConstraints CA:true missing)");
        }
        boolean[] keyUsage = ca.getKeyUsage();
        if (keyUsage != null && !keyUsage[5]) {
            throw new CliException(Certs.subject(ca) + " is not a CA certificate (keyUsage keyCertSign missing)");
        }
        CaMaterial material;
        try {
            material = new CaMaterial(key, ca, chain.path());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage() != null && e.getMessage().contains("does not match")
                    ? "the private key does not match the CA certificate " + Certs.subject(ca)
                    : e.getMessage(), e);
        }
        if (Certs.expired(ca)) {
            throw new CliException("the CA certificate " + Certs.subject(ca) + " expired on "
                    + Certs.date(ca.getNotAfter()));
        }
        if (ca.getNotBefore().toInstant().isAfter(Instant.now())) {
            io.warn("the CA certificate " + Certs.subject(ca) + " is not valid before "
                    + Certs.date(ca.getNotBefore()) + " (is this computer's clock right?)");
        }
        return material;
    }

    /**
     * Warns when a chain does not end at a root or holds an expired issuer.
     *
     * @param chain a CA chain, CA first
     * @param io for the warnings
     */
    static void warnIfIncomplete(List<X509Certificate> chain, Io io) {
        X509Certificate top = chain.get(chain.size() - 1);
        if (!CaCertificates.isSelfSigned(top)) {
            io.warn("the chain ends at " + Certs.subject(top) + ", issued by " + Certs.dn(top.getIssuerX500Principal())
                    + ", which is not included; add the missing issuers so clients get the whole chain");
        }
        for (X509Certificate issuer : chain.subList(1, chain.size())) {
            if (Certs.expired(issuer)) {
                io.warn("the issuer " + Certs.subject(issuer) + " expired on " + Certs.date(issuer.getNotAfter()));
            }
        }
    }
}
