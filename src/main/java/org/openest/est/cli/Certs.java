package org.openest.est.cli;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x500.X500Name;

/** How certificates are shown to administrators. */
final class Certs {
    private Certs() {
    }

    /**
     * @param name a distinguished name
     * @return it in the order it is encoded (as typed on the command line and shown by openssl), e.g. CN=a,O=b
     */
    static String dn(X500Principal name) {
        return X500Name.getInstance(name.getEncoded()).toString();
    }

    /**
     * @param certificate a certificate
     * @return its subject, see {@link #dn}
     */
    static String subject(X509Certificate certificate) {
        return dn(certificate.getSubjectX500Principal());
    }

    /**
     * @param certificate a certificate
     * @return its serial number in upper-case hex, as {@code openssl x509 -serial} prints it
     */
    static String serial(X509Certificate certificate) {
        String hex = certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        return hex.length() % 2 == 0 ? hex : "0" + hex;
    }

    /**
     * @param certificate a certificate
     * @return the SHA-256 fingerprint of its DER encoding, colon-separated upper-case hex (as openssl prints it)
     */
    static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode certificate " + subject(certificate), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param date a date
     * @return it in UTC to the second, e.g. {@code 2035-05-01T12:00:00Z}
     */
    static String date(Date date) {
        return date.toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * @param key a public key
     * @return e.g. {@code EC P-256} or {@code RSA 3072}
     */
    static String key(PublicKey key) {
        if (key instanceof ECKey ec) {
            return "EC P-" + ec.getParams().getCurve().getField().getFieldSize();
        }
        if (key instanceof RSAKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        return key.getAlgorithm();
    }

    /**
     * @param certificate a certificate
     * @return true if it is expired now
     */
    static boolean expired(X509Certificate certificate) {
        return certificate.getNotAfter().toInstant().isBefore(Instant.now());
    }
}
