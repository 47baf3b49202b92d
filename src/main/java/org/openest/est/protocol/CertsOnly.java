package org.openest.est.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.util.CollectionStore;

/**
 * Encodes certs-only CMC Simple PKI Responses (RFC 7030 sections 4.1.3 and 4.2.3): a degenerate CMS SignedData with
 * no signers and absent eContent, and the RFC 8951 base64 transfer form. Stateless and thread-safe.
 */
public final class CertsOnly {
    private static final Base64.Encoder MIME = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private CertsOnly() {
    }

    /**
     * @param certificates the certificates to carry, in order
     * @return DER of the certs-only SignedData
     */
    public static byte[] encode(List<X509Certificate> certificates) {
        try {
            List<X509CertificateHolder> holders = new ArrayList<>(certificates.size());
            for (X509Certificate certificate : certificates) {
                holders.add(new X509CertificateHolder(certificate.getEncoded()));
            }
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addCertificates(new CollectionStore<>(holders));
            return generator.generate(new CMSAbsentContent()).getEncoded("DER");
        } catch (CertificateEncodingException | CMSException | IOException e) {
            throw new IllegalStateException("cannot encode certs-only response", e);
        }
    }

    /**
     * RFC 8951 transfer form: base64 wrapped at 64 columns with LF, ending in LF. Why LF: lines stay well under
     * the 76 characters older libest builds can read, every MIME-tolerant decoder skips LF, and GNU
     * {@code base64 -d} (what admins pipe curl into) rejects the CR of CRLF.
     *
     * @param der the DER bytes
     * @return ASCII base64 bytes
     */
    public static byte[] base64(byte[] der) {
        return base64(der, true);
    }

    /**
     * @param der the DER bytes
     * @param wrap true to wrap at 64 columns (see {@link #base64(byte[])}), false for one line ending in LF
     * @return ASCII base64 bytes
     */
    public static byte[] base64(byte[] der, boolean wrap) {
        if (!wrap) {
            return (Base64.getEncoder().encodeToString(der) + "\n").getBytes(StandardCharsets.US_ASCII);
        }
        String text = MIME.encodeToString(der) + "\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
