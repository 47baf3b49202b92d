package org.openest.est.ca;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Development PKI in a data directory: an EC P-256 CA ({@code ca.pem}, {@code ca-key.pem}), a TLS server keystore
 * ({@code tls/server.p12}, SAN DNS:localhost and IP:127.0.0.1, EKU serverAuth + id-kp-cmcRA) and a truststore
 * holding the CA ({@code tls/truststore.p12}), both with the password {@value #DEV_PASSWORD_TEXT}. Never for
 * production: the password is public. Private keys are written owner-only.
 */
public final class DevPki {
    /** The public development keystore password. */
    public static final String DEV_PASSWORD_TEXT = "changeit";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path home;

    /**
     * @param home the data directory
     */
    public DevPki(Path home) {
        this.home = home.toAbsolutePath();
    }

    /** @return {@code <home>/ca.pem} */
    public Path caCertificate() {
        return home.resolve("ca.pem");
    }

    /** @return {@code <home>/ca-key.pem} */
    public Path caKey() {
        return home.resolve("ca-key.pem");
    }

    /** @return {@code <home>/tls/server.p12} */
    public Path serverKeystore() {
        return home.resolve("tls").resolve("server.p12");
    }

    /** @return {@code <home>/tls/truststore.p12} */
    public Path truststore() {
        return home.resolve("tls").resolve("truststore.p12");
    }

    /** @return true if the dev CA files exist */
    public boolean hasCa() {
        return Files.exists(caCertificate()) && Files.exists(caKey());
    }

    /**
     * Loads the dev CA, generating it first if absent.
     *
     * @return the CA material
     * @throws IOException if files cannot be written or read
     */
    public synchronized CaMaterial ensureCa() throws IOException {
        if (!hasCa()) {
            KeyPair pair = generateEc();
            X509Certificate certificate = selfSignedCa(pair, "CN=EST Development CA,O=EST server (development only)");
            Files.createDirectories(home);
            writeOwnerOnly(caKey(), pem(pair.getPrivate()));
            Files.write(caCertificate(), pem(certificate).getBytes(StandardCharsets.US_ASCII));
        }
        return CaMaterial.fromPem(caCertificate(), caKey(), Optional.empty());
    }

    /**
     * Creates the TLS server keystore and truststore if absent.
     *
     * @param ca the CA that signs the server certificate and is put in the truststore
     * @param dnsNames DNS SANs of the server certificate
     * @param ipAddresses IP SANs of the server certificate
     * @throws IOException if files cannot be written
     */
    public synchronized void ensureTls(CaMaterial ca, List<String> dnsNames, List<String> ipAddresses)
            throws IOException {
        if (Files.exists(serverKeystore()) && Files.exists(truststore())) {
            return;
        }
        Files.createDirectories(serverKeystore().getParent());
        KeyPair pair = generateEc();
        X509Certificate server = issueServerCertificate(ca, pair, dnsNames, ipAddresses);
        try {
            List<Certificate> chain = new ArrayList<>();
            chain.add(server);
            chain.addAll(ca.chain());
            KeyStore keystore = KeyStore.getInstance("PKCS12");
            keystore.load(null, null);
            keystore.setKeyEntry("server", pair.getPrivate(), DEV_PASSWORD_TEXT.toCharArray(),
                    chain.toArray(new Certificate[0]));
            writeKeystore(serverKeystore(), keystore);

            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("est-ca", ca.certificate());
            X509Certificate root = ca.chain().get(ca.chain().size() - 1);
            if (!root.equals(ca.certificate())) {
                trust.setCertificateEntry("est-root", root);
            }
            writeKeystore(truststore(), trust);
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot write TLS keystores", e);
        }
    }

    /**
     * Issues a TLS server certificate: EKU serverAuth and id-kp-cmcRA (RFC 7030 section 3.6.1), SANs as given.
     *
     * @param ca signing CA
     * @param pair server key pair
     * @param dnsNames DNS SANs
     * @param ipAddresses IP SANs
     * @return the certificate
     * @throws IOException if an IP address is invalid
     */
    public static X509Certificate issueServerCertificate(CaMaterial ca, KeyPair pair, List<String> dnsNames,
                                                         List<String> ipAddresses) throws IOException {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
        for (String ip : ipAddresses) {
            names.add(new GeneralName(GeneralName.iPAddress, InetAddress.getByName(ip).getHostAddress()));
        }
        String cn = dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
        IssueRequest request = new IssueRequest(new X500Name("CN=" + cn), SubjectPublicKeyInfo.getInstance(
                pair.getPublic().getEncoded()), Optional.of(new GeneralNames(names.toArray(new GeneralName[0]))),
                KeyUsage.digitalSignature | KeyUsage.keyAgreement,
                List.of(KeyPurposeId.id_kp_serverAuth.toOID(), KeyPurposeId.id_kp_cmcRA.toOID()), Duration.ofDays(825));
        return new LocalCa(ca).issue(request);
    }

    /**
     * @param pair the CA key pair
     * @param subject the CA subject DN
     * @return a self-signed CA certificate valid for 10 years
     */
    public static X509Certificate selfSignedCa(KeyPair pair, String subject) {
        try {
            X500Name name = new X500Name(subject);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(127, new SecureRandom()).setBit(126), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), name, pair.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(pair.getPublic()));
            return new JcaX509CertificateConverter().setProvider(Crypto.provider()).getCertificate(builder.build(
                    new JcaContentSignerBuilder(Crypto.signatureAlgorithm(pair.getPrivate()))
                            .setProvider(Crypto.provider()).build(pair.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create CA certificate", e);
        }
    }

    /** @return a fresh EC P-256 key pair */
    public static KeyPair generateEc() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Crypto.provider());
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param object a certificate or key
     * @return its PEM text
     */
    public static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    /**
     * Writes a file readable by its owner only (created with those permissions, so it is never briefly public).
     *
     * @param file target (must not exist)
     * @param text content
     * @throws IOException on failure
     */
    public static void writeOwnerOnly(Path file, String text) throws IOException {
        writeOwnerOnly(file, text.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * @param file target (replaced if it exists)
     * @param bytes content
     * @throws IOException on failure
     */
    public static void writeOwnerOnly(Path file, byte[] bytes) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " appeared while writing it", e);
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(bytes);
        }
    }

    private static void writeKeystore(Path file, KeyStore store) throws IOException, GeneralSecurityException {
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        store.store(buffer, DEV_PASSWORD_TEXT.toCharArray());
        writeOwnerOnly(file, buffer.toByteArray());
    }
}
