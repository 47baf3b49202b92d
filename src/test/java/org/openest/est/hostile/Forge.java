package org.openest.est.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.openest.est.ca.Crypto;

/**
 * Deterministic keys and hand-assembled PKCS#10 requests. Every key and every signature comes from one seeded
 * generator, so the same seed yields the same corpus bytes (within one JDK and Bouncy Castle version), and a failing
 * case can be reproduced from its id alone.
 */
public final class Forge {
    /** Subject of the device the hostile requests speak for (the IT enrolls it first, for simplereenroll). */
    public static final String DEVICE = "CN=hostile-device,O=EST hostile tests";
    /** PKCS#9 extensionRequest. */
    public static final String EXTENSION_REQUEST = "1.2.840.113549.1.9.14";
    /** ecdsa-with-SHA256. */
    public static final String ECDSA_SHA256 = "1.2.840.10045.4.3.2";
    /** sha256WithRSAEncryption. */
    public static final String RSA_SHA256 = "1.2.840.113549.1.1.11";
    /** Ed25519. */
    public static final String ED25519 = "1.3.101.112";
    /** id-ecPublicKey. */
    public static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
    /** prime256v1 / secp256r1. */
    public static final String P256 = "1.2.840.10045.3.1.7";

    private final SecureRandom random;
    private final Map<String, KeyPair> sizedKeys = new HashMap<>();

    /**
     * @param seed the corpus seed
     */
    public Forge(long seed) {
        try {
            random = SecureRandom.getInstance("SHA1PRNG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        random.setSeed(seed); // before any output: the generator is then fully determined by the seed
    }

    /** @return a deterministic EC key pair on the named curve (e.g. secp256r1) */
    public KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Crypto.provider());
            generator.initialize(new ECGenParameterSpec(curve), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @return a deterministic key pair of a JCA algorithm (RSA, DSA) with the given size; the same pair for the same
     *         algorithm and size (RSA key generation is the slowest part of the corpus)
     */
    public KeyPair sized(String algorithm, int bits) {
        return sizedKeys.computeIfAbsent(algorithm + bits, name -> {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
                generator.initialize(bits, random);
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** @return a deterministic Ed25519 or Ed448 key pair */
    public KeyPair edwards(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm, Crypto.provider());
            generator.initialize(algorithm.equals("Ed448") ? 448 : 255, random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the encoded SubjectPublicKeyInfo */
    public static byte[] spki(KeyPair keys) {
        return keys.getPublic().getEncoded();
    }

    /** @return DER of an X.500 name in Bouncy Castle's default style */
    public static byte[] name(String dn) {
        try {
            return new X500Name(dn).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the device's subject DER */
    public static byte[] device() {
        return name(DEVICE);
    }

    /** @return CertificationRequestInfo with the given raw parts (version INTEGER 0) */
    public static byte[] info(byte[] subject, byte[] spki, byte[] attributes) {
        return Der.seq(Der.integer(0), subject, spki, attributes);
    }

    /** @return the [0] IMPLICIT SET OF Attribute field */
    public static byte[] attributes(byte[]... attributes) {
        return Der.tlv(0xA0, attributes);
    }

    /** @return an extensionRequest attribute holding one Extensions SEQUENCE */
    public static byte[] extensionRequest(byte[]... extensions) {
        return Der.seq(Der.oid(EXTENSION_REQUEST), Der.set(Der.seq(extensions)));
    }

    /** @return one Extension */
    public static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.seq(Der.oid(oid), new byte[] {Der.BOOLEAN, 1, (byte) 0xFF}, Der.octets(value))
                : Der.seq(Der.oid(oid), Der.octets(value));
    }

    /** @return AlgorithmIdentifier, parameters omitted if null */
    public static byte[] algorithm(String oid, byte[] parameters) {
        return parameters == null ? Der.seq(Der.oid(oid)) : Der.seq(Der.oid(oid), parameters);
    }

    /** @return the signature algorithm identifier that fits the key */
    public static byte[] algorithmFor(KeyPair keys) {
        return switch (keys.getPrivate().getAlgorithm()) {
            case "RSA" -> algorithm(RSA_SHA256, Der.nul());
            case "DSA" -> algorithm("2.16.840.1.101.3.4.3.2", null);
            case "Ed25519" -> algorithm(ED25519, null);
            case "Ed448" -> algorithm("1.3.101.113", null);
            default -> algorithm(ECDSA_SHA256, null);
        };
    }

    /** @return a signature over {@code data} with the JCA algorithm fitting the key */
    public byte[] sign(byte[] data, KeyPair keys) {
        String algorithm = switch (keys.getPrivate().getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "DSA" -> "SHA256withDSA";
            case "Ed25519", "Ed448" -> keys.getPrivate().getAlgorithm();
            default -> "SHA256withECDSA";
        };
        try {
            Signature signature = Signature.getInstance(algorithm, Crypto.provider());
            signature.initSign(keys.getPrivate(), random);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return CertificationRequest from raw parts */
    public static byte[] request(byte[] info, byte[] algorithm, byte[] signatureBits) {
        return Der.seq(info, algorithm, signatureBits);
    }

    /** @return {@code info} signed by {@code keys}, with the matching algorithm identifier */
    public byte[] signed(byte[] info, KeyPair keys) {
        return request(info, algorithmFor(keys), Der.bits(0, sign(info, keys)));
    }

    /** @return a correctly signed CSR for {@code subject} with the given attributes */
    public byte[] csr(byte[] subject, KeyPair keys, byte[]... attributes) {
        return signed(info(subject, spki(keys), attributes(attributes)), keys);
    }

    /** @return a Bouncy Castle content signer for the key that draws from the seeded generator */
    public ContentSigner contentSigner(KeyPair keys) {
        try {
            return new JcaContentSignerBuilder(keys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA"
                    : "SHA256withECDSA").setProvider(Crypto.provider()).setSecureRandom(random)
                    .build(keys.getPrivate());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the signing generator's next bytes (for junk that must not be all zero) */
    public byte[] bytes(int length) {
        byte[] out = new byte[length];
        random.nextBytes(out);
        return out;
    }

    /** @return MIME base64 (76 columns, CRLF), the form most EST clients send */
    public static byte[] b64(byte[] der) {
        return Base64.getMimeEncoder().encode(der);
    }

    /** @return PEM CERTIFICATE REQUEST armour around the DER */
    public static byte[] pem(String label, byte[] der) {
        String text = "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(der) + "\n-----END " + label + "-----\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
