package org.openest.est.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Creates CA certificates: self-signed roots and intermediate ("device") CAs. Both get basicConstraints CA:true and
 * keyUsage keyCertSign + cRLSign (both critical), a subject key identifier, and a positive 127-bit random serial;
 * an intermediate also gets a pathLen and an authority key identifier matching its issuer's.
 */
public final class CaCertificates {
    /** CA certificates start this much in the past, for relying parties whose clocks lag. */
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private CaCertificates() {
    }

    /**
     * @param pair the CA key pair
     * @param subject the CA subject (also its issuer)
     * @param validity how long from now it is valid
     * @return the self-signed root CA certificate, without a pathLen constraint
     */
    public static X509Certificate selfSigned(KeyPair pair, X500Name subject, Duration validity) {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, pair.getPublic());
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(pair.getPublic()));
            return sign(builder, pair.getPrivate());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot create the CA certificate", e);
        }
    }

    /**
     * Issues a subordinate CA certificate. Its notAfter is capped at the issuer's.
     *
     * @param issuer the signing CA (whose own pathLen, if any, must allow a further CA)
     * @param publicKey the new CA's public key
     * @param subject the new CA's subject
     * @param validity how long from now it is valid
     * @param pathLength the pathLen constraint of the new CA (0: it may only issue end-entity certificates)
     * @return the intermediate CA certificate
     * @throws IllegalArgumentException if the issuer may not sign CA certificates
     */
    public static X509Certificate intermediate(CaMaterial issuer, PublicKey publicKey, X500Name subject,
                                               Duration validity, int pathLength) {
        X509Certificate issuerCert = issuer.certificate();
        if (issuerCert.getBasicConstraints() == 0) {
            throw new IllegalArgumentException("the issuer "
                    + X500Name.getInstance(issuerCert.getSubjectX500Principal().getEncoded())
                    + " has pathLen 0: it may not sign another CA certificate");
        }
        Instant now = Instant.now();
        Date notAfter = Date.from(now.plus(validity));
        if (notAfter.after(issuerCert.getNotAfter())) {
            notAfter = issuerCert.getNotAfter();
        }
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(issuerCert.getSubjectX500Principal().getEncoded()), serial(),
                Date.from(now.minus(BACKDATE)), notAfter, subject, publicKey);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLength));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier(issuerCert, utils));
            return sign(builder, issuer.privateKey());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot create the intermediate CA certificate", e);
        }
    }

    /**
     * @param certificate a certificate
     * @return true if its subject equals its issuer and it verifies with its own key
     */
    public static boolean isSelfSigned(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
                && CertificateChains.signedBy(certificate, certificate);
    }

    /** The issuer's own subject key identifier when it has one (so the two always match), else one computed. */
    private static AuthorityKeyIdentifier authorityKeyIdentifier(X509Certificate issuer, JcaX509ExtensionUtils utils) {
        byte[] ski = issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ski != null) {
            byte[] keyId = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ski).getOctets())
                    .getKeyIdentifier();
            return new AuthorityKeyIdentifier(keyId);
        }
        return utils.createAuthorityKeyIdentifier(issuer.getPublicKey());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().setProvider(Crypto.provider()).getCertificate(builder.build(
                    new JcaContentSignerBuilder(Crypto.signatureAlgorithm(key)).setProvider(Crypto.provider())
                            .build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with the " + key.getAlgorithm() + " key", e);
        }
    }

    /** @return a positive serial with 127 random bits and a fixed length */
    private static BigInteger serial() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        bytes[0] &= 0x7F;
        bytes[0] |= 0x40;
        return new BigInteger(1, bytes);
    }
}
