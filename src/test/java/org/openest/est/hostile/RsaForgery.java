package org.openest.est.hostile;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** RSA values no key generator would produce: a forged e = 1 signature and large composite moduli. */
final class RsaForgery {
    /** DER prefix of a PKCS#1 v1.5 DigestInfo for SHA-256 (RFC 8017 section 9.2, note 1). */
    private static final byte[] SHA256_PREFIX = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01,
        0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
    private static final BigInteger SMALL_PRIMES;

    static {
        BigInteger product = BigInteger.ONE;
        for (int p = 3; p < 5000; p += 2) {
            if (BigInteger.valueOf(p).isProbablePrime(20)) {
                product = product.multiply(BigInteger.valueOf(p));
            }
        }
        SMALL_PRIMES = product;
    }

    private RsaForgery() {
    }

    /**
     * With public exponent 1, s^e mod n = s, so the PKCS#1 v1.5 encoded message itself is a valid signature.
     *
     * @param data the signed bytes
     * @param modulus the modulus
     * @return a signature that verifies under (modulus, 1)
     */
    static byte[] exponentOne(byte[] data, BigInteger modulus) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        int k = (modulus.bitLength() + 7) / 8;
        byte[] em = new byte[k];
        em[1] = 0x01;
        int padEnd = k - SHA256_PREFIX.length - digest.length - 1;
        for (int i = 2; i < padEnd; i++) {
            em[i] = (byte) 0xFF;
        }
        System.arraycopy(SHA256_PREFIX, 0, em, padEnd + 1, SHA256_PREFIX.length);
        System.arraycopy(digest, 0, em, k - digest.length, digest.length);
        return em;
    }

    /**
     * @param bits size of the modulus
     * @param seed random bytes (at least bits/8)
     * @return a composite odd modulus of exactly {@code bits} bits without small prime factors, so that libraries
     *         that validate RSA moduli accept it and do the expensive work
     */
    static BigInteger composite(int bits, byte[] seed) {
        int half = bits / 2;
        byte[] first = java.util.Arrays.copyOfRange(seed, 0, half / 8);
        byte[] second = java.util.Arrays.copyOfRange(seed, half / 8, 2 * (half / 8));
        return factor(first, half).multiply(factor(second, half));
    }

    private static BigInteger factor(byte[] bytes, int bits) {
        BigInteger value = new BigInteger(1, bytes).setBit(bits - 1).setBit(bits - 2).setBit(0);
        while (!value.gcd(SMALL_PRIMES).equals(BigInteger.ONE)) {
            value = value.add(BigInteger.TWO);
        }
        return value;
    }
}
