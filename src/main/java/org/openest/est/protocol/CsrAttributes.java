package org.openest.est.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.est.AttrOrOID;
import org.bouncycastle.asn1.est.CsrAttrs;
import org.bouncycastle.asn1.pkcs.Attribute;

/**
 * Builds the {@code /csrattrs} response (RFC 7030 section 4.5.2) from configuration entries: {@code OID} sends the
 * OID alone, {@code OID=OID} sends an attribute whose single value is the second OID (for example
 * {@code 1.2.840.10045.2.1=1.3.132.0.34}: an EC key on P-384).
 */
public final class CsrAttributes {
    private CsrAttributes() {
    }

    /**
     * @param entries configuration entries
     * @return DER of the CsrAttrs, or empty when there are no entries (the server answers 204)
     * @throws IllegalArgumentException naming the bad entry
     */
    public static Optional<byte[]> encode(List<String> entries) {
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        List<AttrOrOID> items = new ArrayList<>();
        for (String entry : entries) {
            try {
                int eq = entry.indexOf('=');
                if (eq < 0) {
                    items.add(new AttrOrOID(new ASN1ObjectIdentifier(entry.trim())));
                } else {
                    ASN1ObjectIdentifier type = new ASN1ObjectIdentifier(entry.substring(0, eq).trim());
                    ASN1Set values = new DERSet(new ASN1ObjectIdentifier(entry.substring(eq + 1).trim()));
                    items.add(new AttrOrOID(new Attribute(type, values)));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("csrattrs entry '" + entry + "' is not OID or OID=OID", e);
            }
        }
        try {
            return Optional.of(new CsrAttrs(items.toArray(new AttrOrOID[0])).getEncoded("DER"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
