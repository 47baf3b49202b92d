package org.openest.est.enroll;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.openest.est.ca.IssueRequest;
import org.openest.est.ca.LocalCa;
import org.openest.est.config.EstConfig;
import org.openest.est.protocol.CsrNames;
import org.openest.est.protocol.EstError;
import org.openest.est.protocol.EstException;

/**
 * Turns a CSR into an {@link IssueRequest}: subject from the CSR; of its extensions only the subjectAltName (by
 * policy), both well-formed ({@link NamePolicy}); never CA:true, keyCertSign, cRLSign, nameConstraints or an unknown
 * critical extension (a CSR asking for them is refused); keyUsage
 * digitalSignature (+ keyEncipherment for RSA); EKUs from configuration; minimum key strength. Immutable.
 */
public final class IssuancePolicy {
    /** Longest subject DN accepted, in characters of its RFC 4514 form. */
    static final int MAX_SUBJECT_CHARS = 1024;

    /** Extensions a CSR may mark critical: those the issued certificate has (set by policy) or copies. */
    private static final Set<ASN1ObjectIdentifier> UNDERSTOOD_CRITICAL = Set.of(Extension.basicConstraints,
            Extension.keyUsage, Extension.extendedKeyUsage, Extension.subjectAlternativeName,
            Extension.subjectKeyIdentifier);

    private final EstConfig.Issuance config;
    private final List<ASN1ObjectIdentifier> ekus;
    private final int fixedKeyUsage;

    /**
     * @param config issuance settings
     */
    public IssuancePolicy(EstConfig.Issuance config) {
        this.config = config;
        this.ekus = config.extendedKeyUsages().stream().map(LocalCa::ekuOid).toList();
        int bits = 0;
        for (String usage : config.keyUsages()) {
            bits |= switch (usage) {
                case "digitalSignature" -> KeyUsage.digitalSignature;
                case "nonRepudiation" -> KeyUsage.nonRepudiation;
                case "keyEncipherment" -> KeyUsage.keyEncipherment;
                case "dataEncipherment" -> KeyUsage.dataEncipherment;
                case "keyAgreement" -> KeyUsage.keyAgreement;
                default -> 0; // "auto"
            };
        }
        this.fixedKeyUsage = bits;
    }

    /**
     * Applies the policy. Proof of possession is checked by the caller before this.
     *
     * @param csr a decoded, signature-checked CSR
     * @return what to issue
     * @throws EstException with a 400-class error if the CSR is not acceptable
     */
    public IssueRequest apply(PKCS10CertificationRequest csr) throws EstException {
        return apply(csr, csr.getSubjectPublicKeyInfo());
    }

    /**
     * Applies the policy to a CSR whose names are used with another public key (serverkeygen, RFC 7030 section
     * 4.4: the CSR's own key and signature are ignored).
     *
     * @param csr a decoded CSR (signature not checked)
     * @param key the public key to certify
     * @return what to issue
     * @throws EstException with a 400-class error if the CSR is not acceptable
     */
    public IssueRequest apply(PKCS10CertificationRequest csr, SubjectPublicKeyInfo key) throws EstException {
        boolean rsa = checkKey(key);
        X500Name subject = csr.getSubject();
        if (subject.toString().length() > MAX_SUBJECT_CHARS) {
            throw new EstException(EstError.INVALID_SUBJECT, "longer than " + MAX_SUBJECT_CHARS + " characters");
        }
        NamePolicy.checkSubject(subject);
        if (config.subjectPattern().isPresent() && !config.subjectPattern().get().matcher(
                CsrNames.rfc2253(subject)).matches()) {
            throw new EstException(EstError.INVALID_SUBJECT, "does not match the subject rule of this label");
        }
        Optional<Extensions> extensions = CsrNames.requestedExtensions(csr);
        if (extensions.isPresent()) {
            checkExtensions(extensions.get());
        }
        Optional<GeneralNames> san = config.copySan() ? CsrNames.subjectAltName(csr) : Optional.empty();
        if (san.isPresent()) {
            NamePolicy.checkAltNames(san.get());
        }
        if (subject.getRDNs().length == 0 && san.isEmpty()) {
            throw new EstException(EstError.EMPTY_SUBJECT);
        }
        int keyUsage = fixedKeyUsage != 0 ? fixedKeyUsage
                : KeyUsage.digitalSignature | (rsa ? KeyUsage.keyEncipherment : 0);
        return new IssueRequest(subject, key, san, keyUsage, ekus, Duration.ofDays(config.validityDays()));
    }

    /** @return true for RSA */
    private boolean checkKey(SubjectPublicKeyInfo key) throws EstException {
        AlgorithmIdentifier algorithm = key.getAlgorithm();
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        try {
            if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
                RSAPublicKey rsa = RSAPublicKey.getInstance(key.parsePublicKey());
                int bits = rsa.getModulus().bitLength();
                if (bits < config.rsaMinBits() || bits > config.rsaMaxBits()) {
                    throw new EstException(EstError.WEAK_OR_UNSUPPORTED_KEY, "RSA " + bits + " bits (allowed "
                            + config.rsaMinBits() + "-" + config.rsaMaxBits() + ")");
                }
                // e = 1 makes any padded digest a valid signature; NIST SP 800-89 and the CA/B Forum's baseline
                // requirements ask for an odd e of at least 3, and a bounded e keeps verification cheap.
                BigInteger exponent = rsa.getPublicExponent();
                if (!exponent.testBit(0) || exponent.compareTo(BigInteger.valueOf(3)) < 0
                        || exponent.bitLength() > 256) {
                    throw new EstException(EstError.WEAK_OR_UNSUPPORTED_KEY,
                            "RSA public exponent must be odd, at least 3 and below 2^256");
                }
                return true;
            }
            if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                String curve = curveName(algorithm);
                if (curve == null || !config.ecCurves().contains(curve)) {
                    throw new EstException(EstError.WEAK_OR_UNSUPPORTED_KEY, "EC curve not allowed (allowed "
                            + String.join(", ", config.ecCurves().stream().sorted().toList()) + ")");
                }
                byte[] point = key.getPublicKeyData().getBytes();
                if (point.length == 0 || point[0] < 2 || point[0] > 4) {
                    // RFC 5480 section 2.2: uncompressed (04) or compressed (02, 03); anything else is rejected
                    throw new EstException(EstError.WEAK_OR_UNSUPPORTED_KEY, "EC point encoding not allowed");
                }
                return false;
            }
            if (oid.equals(EdECObjectIdentifiers.id_Ed25519) && config.ed25519()) {
                return false;
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw new EstException(EstError.WEAK_OR_UNSUPPORTED_KEY, "public key cannot be decoded");
        }
        throw new EstException(EstError.WEAK_OR_UNSUPPORTED_KEY, "algorithm " + oid.getId() + " not allowed");
    }

    private static String curveName(AlgorithmIdentifier algorithm) {
        if (!(algorithm.getParameters() instanceof ASN1ObjectIdentifier named)) {
            return null; // explicit curve parameters are never accepted
        }
        if (named.equals(SECObjectIdentifiers.secp256r1)) {
            return "P-256";
        }
        if (named.equals(SECObjectIdentifiers.secp384r1)) {
            return "P-384";
        }
        if (named.equals(SECObjectIdentifiers.secp521r1)) {
            return "P-521";
        }
        return null;
    }

    private static void checkExtensions(Extensions extensions) throws EstException {
        try {
            BasicConstraints basic = BasicConstraints.fromExtensions(extensions);
            if (basic != null && basic.isCA()) {
                throw new EstException(EstError.FORBIDDEN_EXTENSION, "basicConstraints CA:true");
            }
            KeyUsage usage = KeyUsage.fromExtensions(extensions);
            if (usage != null && (usage.hasUsages(KeyUsage.keyCertSign) || usage.hasUsages(KeyUsage.cRLSign))) {
                throw new EstException(EstError.FORBIDDEN_EXTENSION, "keyUsage keyCertSign/cRLSign");
            }
            if (extensions.getExtension(Extension.nameConstraints) != null) {
                throw new EstException(EstError.FORBIDDEN_EXTENSION, "nameConstraints");
            }
            // Critical means "useless to me unless honoured": refuse what the issued certificate will not carry.
            for (ASN1ObjectIdentifier oid : extensions.getCriticalExtensionOIDs()) {
                if (!UNDERSTOOD_CRITICAL.contains(oid)) {
                    String id = oid.getId();
                    throw new EstException(EstError.FORBIDDEN_EXTENSION, "unsupported critical extension "
                            + (id.length() > 40 ? id.substring(0, 40) + "..." : id));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new EstException(EstError.MALFORMED_CSR, "requested extensions cannot be decoded");
        }
    }
}
