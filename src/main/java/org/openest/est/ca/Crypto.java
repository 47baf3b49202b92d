package org.openest.est.ca;

import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;

import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The Bouncy Castle provider instance the server uses, without registering it globally (a provider registered from
 * a webapp's class loader leaks it on redeploy), the random source of the request path, and signature algorithm
 * choice per CA key.
 */
public final class Crypto {
    private static final Provider PROVIDER = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new StripedSecureRandom(4 * Runtime.getRuntime().availableProcessors());

    static {
        // Bouncy Castle's own default, used inside its ECDSA signing (the blinding of the point normalisation) without
        // asking the caller: else a new NativePRNG per signature, behind the JVM-wide lock StripedSecureRandom avoids.
        // This is the copy of Bouncy Castle in the webapp's class loader; nothing outside the webapp sees it.
        CryptoServicesRegistrar.setSecureRandom(RANDOM);
    }

    private Crypto() {
    }

    /** @return the shared Bouncy Castle provider instance */
    public static Provider provider() {
        return PROVIDER;
    }

    /**
     * @return the cryptographically strong random source for serial numbers, signatures and ids on the request path:
     *     independent DRBGs per thread group instead of the JVM-wide lock of the default ({@link StripedSecureRandom})
     */
    public static SecureRandom random() {
        return RANDOM;
    }

    /**
     * @param key a CA key
     * @return the signature algorithm that fits it (hash strength matched to key strength)
     */
    public static String signatureAlgorithm(PrivateKey key) {
        if (key instanceof ECKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return bits > 384 ? "SHA512withECDSA" : bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        }
        if (key instanceof RSAKey rsa) {
            return rsa.getModulus().bitLength() >= 3072 ? "SHA384withRSA" : "SHA256withRSA";
        }
        String algorithm = key.getAlgorithm();
        if (algorithm.equalsIgnoreCase("Ed25519") || algorithm.equalsIgnoreCase("EdDSA")) {
            return "Ed25519";
        }
        throw new IllegalArgumentException("Unsupported CA key algorithm " + algorithm);
    }

    /**
     * @param key a public key
     * @return a short description such as {@code EC P-256} or {@code RSA 2048}
     */
    public static String describe(PublicKey key) {
        if (key instanceof ECKey ec) {
            return "EC " + ec.getParams().getCurve().getField().getFieldSize() + "-bit";
        }
        if (key instanceof RSAKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        return key.getAlgorithm();
    }
}
