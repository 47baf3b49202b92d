package org.openest.est.protocol;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * Names in CSRs and certificates, and the re-enrollment rule of RFC 7030 section 4.2.2: the Subject and
 * SubjectAltName of a renewal CSR must be identical to those of the certificate being renewed.
 *
 * <p>Why this comparison: subjects are compared as {@link X500Name} values (BC's RFC 4518-style matching:
 * case-insensitive, whitespace-normalised strings, same RDN order), so a client that re-encodes a
 * PrintableString as UTF8String still renews; SANs are compared as sets of DER-encoded GeneralNames, so order
 * does not matter but every name must be present on both sides.
 */
public final class CsrNames {
    private CsrNames() {
    }

    /**
     * @param csr a certification request
     * @return its requested extensions, if the CSR carries an extensionRequest attribute
     * @throws EstException MALFORMED_CSR if the extensionRequest attribute is malformed, has more than one value
     *                      (RFC 2985: single-valued), or requests an extension twice
     */
    public static Optional<Extensions> requestedExtensions(PKCS10CertificationRequest csr) throws EstException {
        try {
            Attribute[] requests = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
            if (requests.length > 1) {
                throw new EstException(EstError.MALFORMED_CSR, "more than one extensionRequest attribute");
            }
            if (requests.length == 0) {
                return Optional.empty();
            }
            if (requests[0].getAttrValues().size() != 1) {
                throw new EstException(EstError.MALFORMED_CSR, "extensionRequest must have exactly one value");
            }
            // Not csr.getRequestedExtensions(): that merges repeated subjectAltNames instead of refusing them.
            return Optional.of(Extensions.getInstance(requests[0].getAttrValues().getObjectAt(0)));
        } catch (RuntimeException e) {
            throw new EstException(EstError.MALFORMED_CSR, "extensionRequest attribute cannot be decoded");
        }
    }

    /**
     * @param csr a certification request
     * @return the requested subjectAltName, if any
     * @throws EstException MALFORMED_CSR if it cannot be decoded
     */
    public static Optional<GeneralNames> subjectAltName(PKCS10CertificationRequest csr) throws EstException {
        Optional<Extensions> extensions = requestedExtensions(csr);
        if (extensions.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(GeneralNames.fromExtensions(extensions.get(), Extension.subjectAlternativeName));
        } catch (RuntimeException e) {
            throw new EstException(EstError.MALFORMED_CSR, "subjectAltName cannot be decoded");
        }
    }

    /**
     * @param certificate a certificate
     * @return its subjectAltName, if any
     */
    public static Optional<GeneralNames> subjectAltName(X509Certificate certificate) {
        try {
            X509CertificateHolder holder = new X509CertificateHolder(certificate.getEncoded());
            return Optional.ofNullable(GeneralNames.fromExtensions(holder.getExtensions(),
                    Extension.subjectAlternativeName));
        } catch (CertificateEncodingException | IOException e) {
            throw new IllegalArgumentException("certificate cannot be re-encoded", e);
        }
    }

    /**
     * @param certificate a certificate
     * @return its subject as an {@link X500Name}
     */
    public static X500Name subject(X509Certificate certificate) {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    /**
     * @param name a name
     * @return its RFC 2253 string as the JDK prints it (the form the registry stores)
     */
    public static String rfc2253(X500Name name) {
        try {
            return new javax.security.auth.x500.X500Principal(name.getEncoded()).getName(
                    javax.security.auth.x500.X500Principal.RFC2253);
        } catch (IOException | IllegalArgumentException e) {
            return name.toString();
        }
    }

    /**
     * RFC 7030 section 4.2.2: the renewal CSR's Subject and SubjectAltName equal the current certificate's.
     *
     * @param csr the renewal request
     * @param current the certificate being renewed
     * @return true if both names match
     * @throws EstException MALFORMED_CSR if the CSR's SAN cannot be decoded
     */
    public static boolean sameNames(PKCS10CertificationRequest csr, X509Certificate current) throws EstException {
        return csr.getSubject().equals(subject(current))
                && sanSet(subjectAltName(csr)).equals(sanSet(subjectAltName(current)));
    }

    /**
     * @param names a SAN or empty
     * @return printable form, e.g. {@code DNS:pump-17.example, IP:10.0.0.7}, for the registry and logs
     */
    public static String describe(Optional<GeneralNames> names) {
        if (names.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (GeneralName name : names.get().getNames()) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(prefix(name.getTagNo())).append(':').append(valueOf(name));
        }
        return text.toString();
    }

    private static String valueOf(GeneralName name) {
        ASN1Encodable value = name.getName();
        if (name.getTagNo() == GeneralName.iPAddress) {
            byte[] address = org.bouncycastle.asn1.DEROctetString.getInstance(value).getOctets();
            try {
                return java.net.InetAddress.getByAddress(address).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                return org.bouncycastle.util.encoders.Hex.toHexString(address);
            }
        }
        return value.toString();
    }

    private static String prefix(int tag) {
        return switch (tag) {
            case GeneralName.dNSName -> "DNS";
            case GeneralName.iPAddress -> "IP";
            case GeneralName.uniformResourceIdentifier -> "URI";
            case GeneralName.rfc822Name -> "email";
            case GeneralName.directoryName -> "DirName";
            case GeneralName.otherName -> "othername";
            case GeneralName.registeredID -> "RID";
            default -> "tag" + tag;
        };
    }

    private static Set<String> sanSet(Optional<GeneralNames> names) {
        Set<String> set = new HashSet<>();
        if (names.isPresent()) {
            for (GeneralName name : names.get().getNames()) {
                try {
                    set.add(org.bouncycastle.util.encoders.Hex.toHexString(name.getEncoded(ASN1Encoding.DER)));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return set;
    }
}
