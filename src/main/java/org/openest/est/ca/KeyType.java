package org.openest.est.ca;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The key types the admin tool generates, named as on its command line ({@code ec-p256}, {@code rsa-3072}, ...). */
public enum KeyType {
    /** EC on NIST P-256 (secp256r1). */
    EC_P256("ec-p256"),
    /** EC on NIST P-384 (secp384r1). */
    EC_P384("ec-p384"),
    /** RSA with a 2048-bit modulus. */
    RSA_2048("rsa-2048"),
    /** RSA with a 3072-bit modulus. */
    RSA_3072("rsa-3072"),
    /** RSA with a 4096-bit modulus. */
    RSA_4096("rsa-4096");

    private final String label;

    KeyType(String label) {
        this.label = label;
    }

    /** @return the command-line name, e.g. {@code ec-p256} */
    public String label() {
        return label;
    }

    /**
     * @param label a command-line name
     * @return the key type, or empty if unknown
     */
    public static Optional<KeyType> byLabel(String label) {
        return Arrays.stream(values()).filter(type -> type.label.equals(label)).findFirst();
    }

    /** @return every command-line name, separated by {@code |} */
    public static String labels() {
        return Arrays.stream(values()).map(KeyType::label).collect(Collectors.joining("|"));
    }

    /** @return a fresh key pair of this type (Bouncy Castle key objects) */
    public KeyPair generate() {
        try {
            KeyPairGenerator generator;
            switch (this) {
                case EC_P256, EC_P384 -> {
                    generator = KeyPairGenerator.getInstance("EC", Crypto.provider());
                    generator.initialize(new ECGenParameterSpec(this == EC_P256 ? "secp256r1" : "secp384r1"));
                }
                default -> {
                    generator = KeyPairGenerator.getInstance("RSA", Crypto.provider());
                    generator.initialize(Integer.parseInt(label.substring("rsa-".length())));
                }
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate a " + label + " key", e);
        }
    }

    /**
     * @param key a public key
     * @return true for an RSA key (whose TLS and RA certificates also get keyUsage keyEncipherment)
     */
    public static boolean isRsa(PublicKey key) {
        return key instanceof RSAKey;
    }
}
