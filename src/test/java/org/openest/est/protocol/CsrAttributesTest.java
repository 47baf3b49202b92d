package org.openest.est.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.est.AttrOrOID;
import org.bouncycastle.asn1.est.CsrAttrs;
import org.junit.jupiter.api.Test;

class CsrAttributesTest {
    @Test
    void noEntriesMeansNoContent() {
        assertThat(CsrAttributes.encode(List.of())).isEmpty();
    }

    @Test
    void encodesOidsAndAttributes() {
        byte[] der = CsrAttributes.encode(List.of("1.2.840.113549.1.9.7", "1.2.840.10045.2.1=1.3.132.0.34"))
                .orElseThrow();
        AttrOrOID[] items = CsrAttrs.getInstance(der).getAttrOrOIDs();
        assertThat(items).hasSize(2);
        assertThat(items[0].isOid()).isTrue();
        assertThat(items[0].getOid().getId()).isEqualTo("1.2.840.113549.1.9.7");
        assertThat(items[1].getAttribute().getAttrType().getId()).isEqualTo("1.2.840.10045.2.1");
        assertThat(items[1].getAttribute().getAttributeValues()[0]).isEqualTo(new ASN1ObjectIdentifier("1.3.132.0.34"));
    }

    @Test
    void badEntryIsNamed() {
        assertThatThrownBy(() -> CsrAttributes.encode(List.of("not-an-oid"))).hasMessageContaining("not-an-oid");
    }
}
