package org.openest.est.ca;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;

/**
 * A CA private key with its certificate and chain (issuing CA first), checked for consistency: the key matches the
 * certificate, and the certificate is a CA certificate.
 *
 * @param privateKey the CA key (a Bouncy Castle key object)
 * @param certificate the issuing CA certificate
 * @param chain the issuing CA certificate followed by its issuers
 */
public record CaMaterial(PrivateKey privateKey, X509Certificate certificate, List<X509Certificate> chain) {

    /** Canonical constructor: validates. */
    public CaMaterial {
        chain = List.copyOf(chain);
        if (chain.isEmpty() || !chain.get(0).equals(certificate)) {
            throw new IllegalArgumentException("CA chain must start with the CA certificate");
        }
        if (certificate.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("Certificate " + certificate.getSubjectX500Principal()
                    + " is not a CA certificate (basicConstraints CA:true missing)");
        }
        boolean[] keyUsage = certificate.getKeyUsage();
        if (keyUsage != null && !keyUsage[5]) {
            throw new IllegalArgumentException("CA certificate lacks keyUsage keyCertSign");
        }
        checkKeyMatches(privateKey, certificate);
    }

    /**
     * Loads from a PKCS#12 file.
     *
     * @param file the keystore
     * @param password its password
     * @param alias key entry alias, or empty for the only key entry
     * @return the material
     * @throws IOException if the file cannot be read or has no usable key entry
     */
    public static CaMaterial fromPkcs12(Path file, char[] password, Optional<String> alias) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try {
                store.load(in, password);
            } catch (IOException e) {
                throw new IOException("Cannot read CA keystore " + file + ": " + e.getMessage(), e);
            }
            String entry = alias.orElse(null);
            if (entry == null) {
                for (String name : Collections.list(store.aliases())) {
                    if (store.isKeyEntry(name)) {
                        if (entry != null) {
                            throw new IOException(file + " holds several keys; set ca.keystore-alias");
                        }
                        entry = name;
                    }
                }
            }
            if (entry == null || !store.isKeyEntry(entry)) {
                throw new IOException(file + " has no private key entry" + (alias.isPresent() ? " " + alias.get() : ""));
            }
            PrivateKey key = (PrivateKey) store.getKey(entry, password);
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : store.getCertificateChain(entry)) {
                chain.add((X509Certificate) certificate);
            }
            return new CaMaterial(toBouncyCastle(key), chain.get(0), chain);
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot read CA keystore " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads from PEM files.
     *
     * @param certFile the CA certificate, optionally followed by its issuers
     * @param keyFile the CA private key (PKCS#8 or traditional, unencrypted)
     * @param chainFile further issuer certificates, or empty
     * @return the material
     * @throws IOException if a file cannot be read or parsed
     */
    public static CaMaterial fromPem(Path certFile, Path keyFile, Optional<Path> chainFile) throws IOException {
        List<X509Certificate> chain = new ArrayList<>(readCertificates(certFile));
        if (chain.isEmpty()) {
            throw new IOException(certFile + " holds no certificate");
        }
        if (chainFile.isPresent()) {
            chain.addAll(readCertificates(chainFile.get()));
        }
        PrivateKey key = readPrivateKey(keyFile);
        return new CaMaterial(key, chain.get(0), chain);
    }

    /**
     * @param file a PEM file
     * @return every certificate in it, in order
     * @throws IOException if it cannot be parsed
     */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("Cannot parse certificates in " + file, e);
        }
        return certificates;
    }

    /**
     * @param file a PEM private key file
     * @return the key
     * @throws IOException if it is missing, encrypted or unparseable
     */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                PrivateKeyInfo info = null;
                if (object instanceof PEMKeyPair pair) {
                    info = pair.getPrivateKeyInfo();
                } else if (object instanceof PrivateKeyInfo pkcs8) {
                    info = pkcs8;
                } else if (object.getClass().getSimpleName().contains("Encrypted")) {
                    throw new IOException(file + " holds an encrypted key; use a PKCS#12 keystore (ca.keystore) instead");
                }
                if (info != null) {
                    return toBouncyCastle(info.getEncoded());
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("Cannot parse private key in " + file, e);
        }
        throw new IOException(file + " holds no private key");
    }

    private static PrivateKey toBouncyCastle(PrivateKey key) throws GeneralSecurityException {
        return toBouncyCastle(key.getEncoded());
    }

    private static PrivateKey toBouncyCastle(byte[] pkcs8) throws GeneralSecurityException {
        try {
            String algorithm = PrivateKeyInfo.getInstance(pkcs8).getPrivateKeyAlgorithm().getAlgorithm().getId();
            return KeyFactory.getInstance(algorithm, Crypto.provider()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("malformed private key", e);
        }
    }

    /**
     * Signs a probe with the key and verifies it with the certificate.
     *
     * @param key a private key
     * @param certificate the certificate it should belong to
     * @throws IllegalArgumentException if they do not match or the key cannot sign
     */
    static void checkKeyMatches(PrivateKey key, X509Certificate certificate) {
        try {
            String algorithm = Crypto.signatureAlgorithm(key);
            byte[] probe = "est-ca-key-check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm, Crypto.provider());
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm, Crypto.provider());
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IllegalArgumentException("CA private key does not match the CA certificate "
                        + certificate.getSubjectX500Principal());
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("CA private key does not match the CA certificate "
                    + certificate.getSubjectX500Principal(), e);
        }
    }
}
