package org.openest.est.ca;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * What to put in one certificate, after policy has decided. Immutable.
 *
 * @param subject subject DN
 * @param publicKey subject public key
 * @param subjectAltName SAN to include, if any
 * @param keyUsageBits {@link org.bouncycastle.asn1.x509.KeyUsage} bits
 * @param extendedKeyUsages EKU OIDs (empty: no EKU extension)
 * @param validity requested validity; capped at the CA's notAfter
 */
public record IssueRequest(X500Name subject, SubjectPublicKeyInfo publicKey, Optional<GeneralNames> subjectAltName,
                           int keyUsageBits, List<ASN1ObjectIdentifier> extendedKeyUsages, Duration validity) {
}
