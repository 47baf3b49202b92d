package org.openest.est.cli;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.openest.est.ca.CaMaterial;
import org.openest.est.ca.IssueRequest;
import org.openest.est.ca.KeyType;
import org.openest.est.ca.LocalCa;

/** Issues the end-entity certificates of the admin tool (TLS server, RA) with the server's own {@link LocalCa}. */
final class EndEntities {
    private EndEntities() {
    }

    /**
     * Issues a certificate with keyUsage digitalSignature, plus keyEncipherment for an RSA key.
     *
     * @param ca the signing CA
     * @param pair the subject's keys
     * @param subject the subject DN
     * @param subjectAltName the SAN, if any
     * @param ekus the extended key usages
     * @param days the requested validity
     * @param io for a warning when the CA's notAfter shortens the validity
     * @return the certificate
     */
    static X509Certificate issue(CaMaterial ca, KeyPair pair, X500Name subject, Optional<GeneralNames> subjectAltName,
                                 List<ASN1ObjectIdentifier> ekus, int days, Io io) {
        int keyUsage = KeyUsage.digitalSignature;
        if (KeyType.isRsa(pair.getPublic())) {
            keyUsage |= KeyUsage.keyEncipherment;
        }
        IssueRequest request = new IssueRequest(subject, SubjectPublicKeyInfo.getInstance(
                pair.getPublic().getEncoded()), subjectAltName, keyUsage, ekus, Duration.ofDays(days));
        X509Certificate certificate = new LocalCa(ca).issue(request);
        if (certificate.getNotAfter().toInstant().isBefore(
                Instant.now().plus(Duration.ofDays(days)).minus(Duration.ofMinutes(10)))) {
            io.warn("validity shortened to the CA's notAfter, " + Certs.date(certificate.getNotAfter()));
        }
        return certificate;
    }
}
