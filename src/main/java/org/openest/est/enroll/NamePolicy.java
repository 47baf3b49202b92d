package org.openest.est.enroll;

import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.OtherName;
import org.openest.est.protocol.EstError;
import org.openest.est.protocol.EstException;

/**
 * Well-formedness of the names an issued certificate copies from the CSR. Bouncy Castle decodes whatever bytes a
 * string type holds, so without these checks a certificate could carry a CN with a NUL (the classic
 * {@code good.example\0.evil.example} truncation), CR/LF or terminal escapes (log and UI injection), an INTEGER where
 * a string belongs, or a 5-byte IP address. Immutable, stateless.
 */
final class NamePolicy {
    private NamePolicy() {
    }

    /**
     * Every RDN has an attribute, every attribute value is a non-empty string of its type's character set, without
     * control characters.
     *
     * @param subject a decoded subject
     * @throws EstException INVALID_SUBJECT
     */
    static void checkSubject(X500Name subject) throws EstException {
        check(subject, EstError.INVALID_SUBJECT);
    }

    /**
     * At least one name; DNS names, e-mail addresses and URIs printable ASCII without spaces; IP addresses 4 or 16
     * octets; directory names as subjects; otherNames with a type and a value.
     *
     * @param names the requested subjectAltName
     * @throws EstException INVALID_SUBJECT_ALT_NAME
     */
    static void checkAltNames(GeneralNames names) throws EstException {
        EstError error = EstError.INVALID_SUBJECT_ALT_NAME;
        if (names.getNames().length == 0) {
            throw new EstException(error, "no names");
        }
        try {
            for (GeneralName name : names.getNames()) {
                switch (name.getTagNo()) {
                    case GeneralName.dNSName, GeneralName.rfc822Name, GeneralName.uniformResourceIdentifier -> {
                        String text = ASN1IA5String.getInstance(name.getName()).getString();
                        if (text.isEmpty() || !text.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
                            throw new EstException(error, "names must be printable ASCII without spaces");
                        }
                    }
                    case GeneralName.iPAddress -> {
                        int length = ASN1OctetString.getInstance(name.getName()).getOctets().length;
                        if (length != 4 && length != 16) {
                            throw new EstException(error, "IP address of " + length + " octets");
                        }
                    }
                    case GeneralName.directoryName -> check(X500Name.getInstance(name.getName()), error);
                    case GeneralName.otherName -> OtherName.getInstance(name.getName());
                    default -> {
                        // registeredID, x400Address, ediPartyName: nothing to check
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new EstException(error, "a name cannot be decoded");
        }
    }

    private static void check(X500Name name, EstError error) throws EstException {
        for (RDN rdn : name.getRDNs()) {
            AttributeTypeAndValue[] attributes = rdn.getTypesAndValues();
            if (attributes.length == 0) {
                throw new EstException(error, "empty relative distinguished name");
            }
            for (AttributeTypeAndValue attribute : attributes) {
                checkValue(attribute.getValue(), error);
            }
        }
    }

    private static void checkValue(ASN1Encodable value, EstError error) throws EstException {
        if (!(value instanceof ASN1String string) || value instanceof ASN1BitString) {
            throw new EstException(error, "attribute value is not a string");
        }
        String text = string.getString();
        if (text.isEmpty()) {
            throw new EstException(error, "empty attribute value");
        }
        if (text.chars().anyMatch(c -> c < 0x20 || (c >= 0x7F && c <= 0x9F))) {
            throw new EstException(error, "control character in attribute value");
        }
        if ((value instanceof ASN1PrintableString && !ASN1PrintableString.isPrintableString(text))
                || (value instanceof ASN1IA5String && !ASN1IA5String.isIA5String(text))) {
            throw new EstException(error, "attribute value outside its string type's character set");
        }
    }
}
