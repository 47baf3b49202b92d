package org.openest.est.protocol;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.util.Base64;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Decodes a posted PKCS#10 body and checks its proof of possession.
 *
 * <p>Input is accepted liberally (RFC 8951 section 3, and what clients really send): base64 of DER whatever the
 * Content-Transfer-Encoding header says, with any CR/LF/SP/TAB inside; PEM armour (including the {@code NEW}
 * variant); or raw binary DER. Anything else is a typed {@link EstException}. Thread-safe.
 */
public final class CsrDecoder {
    private static final byte DER_SEQUENCE = 0x30;
    private static final BigInteger MAX_PSS_SALT_BYTES = BigInteger.valueOf(16_384 / 8);
    private final Provider provider;

    /**
     * @param provider JCA provider used for signature verification (Bouncy Castle: several times faster for ECDSA)
     */
    public CsrDecoder(Provider provider) {
        this.provider = provider;
    }

    /**
     * Decodes the body into a certification request, without checking its signature.
     *
     * @param body the raw request body
     * @return the parsed request
     * @throws EstException EMPTY_BODY, MALFORMED_BASE64 or MALFORMED_CSR
     */
    public PKCS10CertificationRequest decode(byte[] body) throws EstException {
        int start = 0;
        while (start < body.length && isWhitespace(body[start])) {
            start++;
        }
        if (start == body.length) {
            throw new EstException(EstError.EMPTY_BODY);
        }
        byte[] der;
        if (body[start] == DER_SEQUENCE) {
            der = start == 0 ? body : java.util.Arrays.copyOfRange(body, start, body.length);
        } else if (startsWith(body, start, "-----BEGIN")) {
            return fromPem(body);
        } else {
            der = fromBase64(body);
        }
        return fromDer(der);
    }

    /**
     * Verifies the CSR's self-signature: proof of possession of the private key (RFC 7030 section 3.4).
     *
     * @param csr the request
     * @throws EstException WEAK_OR_UNSUPPORTED_KEY if the key or algorithm cannot be used, BAD_CSR_SIGNATURE if the
     *                      signature does not verify
     */
    public void verifyProofOfPossession(PKCS10CertificationRequest csr) throws EstException {
        checkPssSaltLength(csr.getSignatureAlgorithm());
        ContentVerifierProvider verifier;
        try {
            verifier = new JcaContentVerifierProviderBuilder().setProvider(provider)
                    .build(csr.getSubjectPublicKeyInfo());
        } catch (OperatorCreationException | RuntimeException e) {
            throw new EstException(EstError.WEAK_OR_UNSUPPORTED_KEY, "public key cannot be decoded");
        }
        boolean valid;
        try {
            valid = csr.isSignatureValid(verifier);
        } catch (PKCSException | RuntimeException e) {
            throw new EstException(EstError.BAD_CSR_SIGNATURE);
        }
        if (!valid) {
            throw new EstException(EstError.BAD_CSR_SIGNATURE);
        }
    }

    /**
     * Bouncy Castle allocates RSASSA-PSS salt buffers of the size the parameters claim, before verifying anything: a
     * 900-byte CSR claiming a 2^31-byte salt is an OutOfMemoryError, 2^30 a gigabyte per request. No salt can exceed
     * the modulus, and Bouncy Castle's largest accepted modulus is 16384 bits.
     */
    private static void checkPssSaltLength(AlgorithmIdentifier algorithm) throws EstException {
        if (!PKCSObjectIdentifiers.id_RSASSA_PSS.equals(algorithm.getAlgorithm())) {
            return;
        }
        BigInteger salt;
        try {
            salt = RSASSAPSSparams.getInstance(algorithm.getParameters()).getSaltLength();
        } catch (RuntimeException e) {
            throw new EstException(EstError.BAD_CSR_SIGNATURE, "RSASSA-PSS parameters cannot be decoded");
        }
        if (salt.signum() < 0 || salt.compareTo(MAX_PSS_SALT_BYTES) > 0) {
            throw new EstException(EstError.BAD_CSR_SIGNATURE, "RSASSA-PSS salt length out of range");
        }
    }

    private static PKCS10CertificationRequest fromDer(byte[] der) throws EstException {
        PKCS10CertificationRequest csr;
        try {
            csr = new PKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            // BC's parser recurses on nesting; a 64 KiB body of nested SEQUENCEs is hostile input, not a 500.
            throw new EstException(EstError.MALFORMED_CSR);
        }
        if (!csr.toASN1Structure().getCertificationRequestInfo().getVersion().hasValue(0)) {
            throw new EstException(EstError.MALFORMED_CSR, "unsupported version"); // RFC 2986: v1(0) only
        }
        try {
            // BC parses the subject's RDNs lazily: a malformed attribute or invalid UTF-8 would otherwise throw
            // later, anywhere the subject is read (authorisation, policy, even the audit line of a refusal).
            csr.getSubject().toString();
        } catch (RuntimeException | StackOverflowError e) {
            throw new EstException(EstError.MALFORMED_CSR, "subject cannot be decoded");
        }
        return csr;
    }

    private static PKCS10CertificationRequest fromPem(byte[] body) throws EstException {
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            if (object instanceof PKCS10CertificationRequest csr) {
                return fromDer(csr.getEncoded());
            }
            throw new EstException(EstError.MALFORMED_CSR, "PEM block is not a CERTIFICATE REQUEST");
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new EstException(EstError.MALFORMED_CSR, "PEM block cannot be decoded");
        }
    }

    private static byte[] fromBase64(byte[] body) throws EstException {
        byte[] compact = new byte[body.length];
        int length = 0;
        for (byte b : body) {
            if (isWhitespace(b)) {
                continue;
            }
            if (!isBase64(b)) {
                throw new EstException(EstError.MALFORMED_BASE64);
            }
            compact[length++] = b;
        }
        try {
            return Base64.getDecoder().decode(java.util.Arrays.copyOf(compact, length));
        } catch (IllegalArgumentException e) {
            throw new EstException(EstError.MALFORMED_BASE64);
        }
    }

    private static boolean startsWith(byte[] body, int offset, String prefix) {
        if (body.length - offset < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (body[offset + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private static boolean isBase64(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '+' || b == '/'
                || b == '=';
    }
}
