package org.openest.est.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.openest.est.ca.CaMaterial;
import org.openest.est.ca.Crypto;
import org.openest.est.ca.DevPki;
import org.openest.est.ca.IssueRequest;
import org.openest.est.ca.LocalCa;

/** Test PKI generated at test time (never committed): a CA, server and client certificates, CSRs. */
public final class TestPki {
    /** Password of every test keystore. */
    public static final char[] PASSWORD = "test-pass".toCharArray();

    private final KeyPair caKeys;
    private final CaMaterial ca;
    private final LocalCa signer;

    private TestPki(String caName) {
        this.caKeys = ec256();
        X509Certificate caCert = DevPki.selfSignedCa(caKeys, "CN=" + caName + ",O=EST tests");
        this.ca = new CaMaterial(caKeys.getPrivate(), caCert, List.of(caCert));
        this.signer = new LocalCa(ca);
    }

    /**
     * @param caName CN of the CA
     * @return a new PKI
     */
    public static TestPki create(String caName) {
        return new TestPki(caName);
    }

    /** @return the CA material */
    public CaMaterial ca() {
        return ca;
    }

    /** @return the CA certificate */
    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    /**
     * Writes the CA as PEM files.
     *
     * @param dir target directory
     * @return the certificate file; the key is {@code test-ca-key.pem} beside it
     * @throws IOException on failure
     */
    public Path writeCaPem(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path cert = dir.resolve("test-ca.pem");
        Files.writeString(cert, DevPki.pem(ca.certificate()), StandardCharsets.US_ASCII);
        DevPki.writeOwnerOnly(dir.resolve("test-ca-key.pem"), DevPki.pem(caKeys.getPrivate()));
        return cert;
    }

    /**
     * Issues a client certificate.
     *
     * @param keys subject keys
     * @param subject subject DN
     * @param ekus extended key usages
     * @return the certificate
     */
    public X509Certificate issueClient(KeyPair keys, String subject, KeyPurposeId... ekus) {
        List<ASN1ObjectIdentifier> oids = new ArrayList<>();
        for (KeyPurposeId eku : ekus) {
            oids.add(eku.toOID());
        }
        return signer.issue(new IssueRequest(new X500Name(subject),
                SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()), Optional.empty(),
                KeyUsage.digitalSignature, oids, Duration.ofDays(30)));
    }

    /**
     * Issues a client certificate whose validity ended yesterday.
     *
     * @param keys subject keys
     * @param subject subject DN
     * @return the expired certificate
     */
    public X509Certificate issueExpired(KeyPair keys, String subject) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(),
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(30))),
                    Date.from(now.minus(Duration.ofDays(1))), new X500Name(subject), keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Crypto.provider())
                            .build(caKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param keys server keys
     * @return a TLS server certificate for localhost / 127.0.0.1
     * @throws IOException never in practice
     */
    public X509Certificate issueServer(KeyPair keys) throws IOException {
        return DevPki.issueServerCertificate(ca, keys, List.of("localhost"), List.of("127.0.0.1"));
    }

    /**
     * @param key private key
     * @param chain certificate chain, leaf first
     * @return an in-memory PKCS#12 key store (password {@link #PASSWORD}, alias "key")
     */
    public static KeyStore keyStore(PrivateKey key, X509Certificate... chain) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", key, PASSWORD, chain);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param certificates trusted certificates
     * @return an in-memory PKCS#12 trust store
     */
    public static KeyStore trustStore(X509Certificate... certificates) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.length; i++) {
                store.setCertificateEntry("ca" + i, certificates[i]);
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param trusted CA certificates to trust
     * @param keys client key store or null
     * @return a TLS context
     */
    public static SSLContext sslContext(KeyStore keys, X509Certificate... trusted) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore(trusted));
            KeyManagerFactory kmf = null;
            if (keys != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, PASSWORD);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return a new EC P-256 key pair */
    public static KeyPair ec256() {
        return DevPki.generateEc();
    }

    /**
     * @param curve JCA curve name, e.g. secp384r1
     * @return a new EC key pair on it
     */
    public static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Crypto.provider());
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param bits modulus size
     * @return a new RSA key pair
     */
    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return a new Ed25519 key pair */
    public static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519", Crypto.provider()).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param keys subject keys
     * @param subject subject DN
     * @return a signed CSR without extensions
     */
    public static PKCS10CertificationRequest csr(KeyPair keys, String subject) {
        return csr(keys, subject, null);
    }

    /**
     * @param keys subject keys
     * @param subject subject DN
     * @param extensions requested extensions or null
     * @return a signed CSR
     */
    public static PKCS10CertificationRequest csr(KeyPair keys, String subject, ExtensionsGenerator extensions) {
        try {
            PKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(
                    new X500Name(subject), keys.getPublic());
            if (extensions != null) {
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            return builder.build(new JcaContentSignerBuilder(signatureAlgorithm(keys))
                    .setProvider(Crypto.provider()).build(keys.getPrivate()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param dnsNames DNS names
     * @return an extension request with that SAN
     */
    public static ExtensionsGenerator san(String... dnsNames) {
        try {
            ExtensionsGenerator generator = new ExtensionsGenerator();
            GeneralName[] names = new GeneralName[dnsNames.length];
            for (int i = 0; i < dnsNames.length; i++) {
                names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
            }
            generator.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            return generator;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param keys a key pair
     * @return a signature algorithm for it
     */
    public static String signatureAlgorithm(KeyPair keys) {
        return switch (keys.getPrivate().getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> "SHA256withECDSA";
        };
    }

    /**
     * @param der DER or PKCS#7 certificates
     * @return the certificates
     */
    public static List<X509Certificate> parseCertificates(byte[] der) {
        try {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(der));
            List<X509Certificate> list = new ArrayList<>();
            certificates.forEach(c -> list.add((X509Certificate) c));
            return list;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
