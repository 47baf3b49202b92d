package org.openest.est.enroll;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

import org.openest.est.ca.Crypto;

/** Key generation for serverkeygen, by configured type. */
final class ServerKeys {
    private ServerKeys() {
    }

    static KeyPair generate(String type) {
        try {
            KeyPairGenerator generator;
            switch (type) {
                case "ec-p256", "ec-p384" -> {
                    generator = KeyPairGenerator.getInstance("EC", Crypto.provider());
                    generator.initialize(new ECGenParameterSpec(type.equals("ec-p256") ? "secp256r1" : "secp384r1"));
                }
                case "rsa-2048", "rsa-3072" -> {
                    generator = KeyPairGenerator.getInstance("RSA", Crypto.provider());
                    generator.initialize(type.equals("rsa-2048") ? 2048 : 3072);
                }
                default -> throw new IllegalArgumentException("unknown key type " + type);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
