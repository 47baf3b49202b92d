package org.openest.est.hostile;

import static org.openest.est.hostile.HostileCase.Defect.KEY_OR_SIGNATURE;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;

import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;

/**
 * Keys and signatures: weak and disallowed keys (correctly signed), invalid EC points, explicit and missing curve
 * parameters, RSA keys with absurd exponents or moduli, signature algorithms that do not match the key, and
 * malformed signature values. All are {@link HostileCase.Defect#KEY_OR_SIGNATURE}: the names are the device's.
 */
final class CryptoFamily {
    private static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
    private static final String RSA_PSS = "1.2.840.113549.1.1.10";

    private CryptoFamily() {
    }

    static void add(CaseList out, Forge forge) throws Exception {
        byte[] device = Forge.device();
        KeyPair ec = forge.ec("secp256r1");
        KeyPair rsa = forge.sized("RSA", 2048);
        for (int bits : new int[] {512, 1024}) {
            out.b64("key/rsa-" + bits, KEY_OR_SIGNATURE, forge.csr(device, forge.sized("RSA", bits)));
        }
        out.b64("key/dsa-2048", KEY_OR_SIGNATURE, forge.csr(device, forge.sized("DSA", 2048)));
        for (String curve : new String[] {"secp256k1", "secp521r1", "brainpoolP256r1", "secp224r1"}) {
            out.b64("key/ec-" + curve, KEY_OR_SIGNATURE, forge.csr(device, forge.ec(curve)));
        }
        out.b64("key/ed448", KEY_OR_SIGNATURE, forge.csr(device, forge.edwards("Ed448")));
        ecPoints(out, forge, device, ec);
        ecParameters(out, forge, device, ec);
        rsaValues(out, forge, device, rsa);
        algorithms(out, forge, device, ec, rsa);
        signatures(out, forge, device, ec);
    }

    /** Any public key bytes, "signed" by {@code signer} (whose key it is not). */
    private static byte[] withKey(Forge forge, byte[] device, byte[] spki, KeyPair signer) {
        byte[] info = Forge.info(device, spki, Forge.attributes());
        return Forge.request(info, Forge.algorithmFor(signer), Der.bits(0, forge.sign(info, signer)));
    }

    private static byte[] ecSpki(byte[] parameters, byte[] point) {
        return Der.seq(Forge.algorithm(Forge.EC_PUBLIC_KEY, parameters), Der.bits(0, point));
    }

    private static void ecPoints(CaseList out, Forge forge, byte[] device, KeyPair ec) {
        ECPublicKey key = (ECPublicKey) ec.getPublic();
        byte[] x = fixed(key.getW().getAffineX(), 32);
        byte[] y = fixed(key.getW().getAffineY(), 32);
        byte[] p256 = Der.oid(Forge.P256);
        byte[][][] points = {
            {"not-on-curve".getBytes(), Der.cat(new byte[] {4}, x, fixed(key.getW().getAffineY().add(
                    BigInteger.ONE), 32))},
            {"short-63-bytes".getBytes(), Der.cat(new byte[] {4}, x, Arrays.copyOf(y, 31))},
            {"long-66-bytes".getBytes(), Der.cat(new byte[] {4}, x, y, new byte[] {1})},
            {"compressed-garbage".getBytes(), Der.cat(new byte[] {2}, forge.bytes(32))},
            {"compressed-x-above-p".getBytes(), Der.cat(new byte[] {3}, filled(32, 0xFF))},
            {"infinity".getBytes(), new byte[] {0}},
            {"empty".getBytes(), new byte[0]},
            {"hybrid-form".getBytes(), Der.cat(new byte[] {6}, x, y)},
            {"unknown-prefix-5".getBytes(), Der.cat(new byte[] {5}, x, y)},
            {"all-zero".getBytes(), Der.cat(new byte[] {4}, new byte[64])},
            {"x-equals-p".getBytes(), Der.cat(new byte[] {4}, fixed(new BigInteger(
                    "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16), 32), y)},
            {"p384-sized-point".getBytes(), Der.cat(new byte[] {4}, forge.bytes(96))},
        };
        for (byte[][] point : points) {
            out.b64("ec-point/" + new String(point[0]), KEY_OR_SIGNATURE, withKey(forge, device,
                    ecSpki(p256, point[1]), ec));
        }
        out.b64("ec-point/bit-string-unused-bits", KEY_OR_SIGNATURE, withKey(forge, device, Der.seq(
                Forge.algorithm(Forge.EC_PUBLIC_KEY, p256), Der.bits(3, Der.cat(new byte[] {4}, x, y))), ec));
    }

    private static void ecParameters(CaseList out, Forge forge, byte[] device, KeyPair ec) throws Exception {
        ECPublicKey key = (ECPublicKey) ec.getPublic();
        byte[] point = Der.cat(new byte[] {4}, fixed(key.getW().getAffineX(), 32), fixed(key.getW().getAffineY(), 32));
        X9ECParameters explicit = ECNamedCurveTable.getByName("prime256v1");
        // Correctly signed with the real key: only the curve is spelled out instead of named.
        out.b64("ec-params/explicit-p256", KEY_OR_SIGNATURE, forge.signed(Forge.info(device,
                ecSpki(explicit.toASN1Primitive().getEncoded("DER"), point), Forge.attributes()), ec));
        out.b64("ec-params/absent", KEY_OR_SIGNATURE, forge.signed(Forge.info(device, ecSpki(null, point),
                Forge.attributes()), ec));
        out.b64("ec-params/null-implicitly-ca", KEY_OR_SIGNATURE, forge.signed(Forge.info(device,
                ecSpki(Der.nul(), point), Forge.attributes()), ec));
        out.b64("ec-params/unknown-curve-oid", KEY_OR_SIGNATURE, forge.signed(Forge.info(device,
                ecSpki(Der.oid("1.3.132.0.99"), point), Forge.attributes()), ec));
        out.b64("ec-params/integer", KEY_OR_SIGNATURE, forge.signed(Forge.info(device, ecSpki(Der.integer(256),
                point), Forge.attributes()), ec));
        out.b64("ec-params/p384-oid-on-p256-point", KEY_OR_SIGNATURE, forge.signed(Forge.info(device,
                ecSpki(Der.oid("1.3.132.0.34"), point), Forge.attributes()), ec));
        byte[] explicitDer = explicit.toASN1Primitive().getEncoded("DER");
        byte[] brokenCurve = explicitDer.clone();
        brokenCurve[brokenCurve.length - 5] ^= 0x10; // the cofactor/order region of the explicit parameters
        out.b64("ec-params/explicit-corrupted", KEY_OR_SIGNATURE, forge.signed(Forge.info(device,
                ecSpki(brokenCurve, point), Forge.attributes()), ec));
    }

    private static void rsaValues(CaseList out, Forge forge, byte[] device, KeyPair rsa) {
        BigInteger n = ((RSAPublicKey) rsa.getPublic()).getModulus();
        // e = 1: the "signature" is the PKCS#1 encoded digest itself, so proof of possession holds for anyone.
        byte[] info = Forge.info(device, rsaSpki(n, BigInteger.ONE), Forge.attributes());
        out.b64("rsa/exponent-1-forged-signature", KEY_OR_SIGNATURE, Forge.request(info,
                Forge.algorithm(Forge.RSA_SHA256, Der.nul()), Der.bits(0, RsaForgery.exponentOne(info, n))));
        BigInteger[][] keys = {
            {n, BigInteger.ZERO}, {n, BigInteger.TWO}, {n, BigInteger.valueOf(65_536)},
            {n, n.subtract(BigInteger.ONE)}, {n.negate(), BigInteger.valueOf(65_537)},
            {n.add(BigInteger.ONE), BigInteger.valueOf(65_537)}, {BigInteger.ZERO, BigInteger.valueOf(65_537)},
            {n.multiply(BigInteger.valueOf(3)), BigInteger.valueOf(65_537)},
            {BigInteger.ONE.shiftLeft(2203).subtract(BigInteger.ONE), BigInteger.valueOf(65_537)}, // Mersenne prime
        };
        String[] names = {"exponent-0", "exponent-2", "exponent-even-65536", "exponent-n-minus-1",
            "modulus-negative", "modulus-even", "modulus-zero", "modulus-small-factor", "modulus-prime"};
        for (int i = 0; i < keys.length; i++) {
            out.b64("rsa/" + names[i], KEY_OR_SIGNATURE, withKey(forge, device, rsaSpki(keys[i][0], keys[i][1]),
                    rsa));
        }
        BigInteger big = RsaForgery.composite(16_384, forge.bytes(2048));
        out.b64("rsa/modulus-16384-exponent-16376-bits", KEY_OR_SIGNATURE, withKey(forge, device,
                rsaSpki(big, new BigInteger(1, forge.bytes(2047)).setBit(0)), rsa));
        BigInteger large = RsaForgery.composite(8192, forge.bytes(1024));
        out.b64("rsa/modulus-8192-exponent-8184-bits", KEY_OR_SIGNATURE, withKey(forge, device,
                rsaSpki(large, new BigInteger(1, forge.bytes(1023)).setBit(0)), rsa));
        out.b64("rsa/modulus-32768", KEY_OR_SIGNATURE, withKey(forge, device,
                rsaSpki(RsaForgery.composite(32_768, forge.bytes(4096)), BigInteger.valueOf(65_537)), rsa));
        out.b64("rsa/key-not-a-sequence", KEY_OR_SIGNATURE, withKey(forge, device, Der.seq(
                Forge.algorithm(RSA_ENCRYPTION, Der.nul()), Der.bits(0, Der.integer(n))), rsa));
    }

    static byte[] rsaSpki(BigInteger modulus, BigInteger exponent) {
        return Der.seq(Forge.algorithm(RSA_ENCRYPTION, Der.nul()), Der.bits(0, Der.seq(Der.integer(modulus),
                Der.integer(exponent))));
    }

    private static void algorithms(CaseList out, Forge forge, byte[] device, KeyPair ec, KeyPair rsa) {
        byte[] ecInfo = Forge.info(device, Forge.spki(ec), Forge.attributes());
        byte[] rsaInfo = Forge.info(device, Forge.spki(rsa), Forge.attributes());
        byte[] ecSignature = Der.bits(0, forge.sign(ecInfo, ec));
        byte[] rsaSignature = Der.bits(0, forge.sign(rsaInfo, rsa));
        byte[] rsaAlgorithm = Forge.algorithm(Forge.RSA_SHA256, Der.nul());
        out.b64("alg/rsa-oid-on-ec-key-ecdsa-signature", KEY_OR_SIGNATURE,
                Forge.request(ecInfo, rsaAlgorithm, ecSignature));
        out.b64("alg/rsa-oid-on-ec-key-rsa-signature", KEY_OR_SIGNATURE, Forge.request(ecInfo, rsaAlgorithm,
                Der.bits(0, forge.sign(ecInfo, rsa))));
        out.b64("alg/ecdsa-oid-on-rsa-key", KEY_OR_SIGNATURE, Forge.request(rsaInfo,
                Forge.algorithm(Forge.ECDSA_SHA256, null), rsaSignature));
        out.b64("alg/ed25519-oid-on-ec-key", KEY_OR_SIGNATURE, Forge.request(ecInfo,
                Forge.algorithm(Forge.ED25519, null), ecSignature));
        out.b64("alg/key-oid-as-signature-oid", KEY_OR_SIGNATURE, Forge.request(ecInfo,
                Forge.algorithm(Forge.EC_PUBLIC_KEY, null), ecSignature));
        out.b64("alg/unknown-oid", KEY_OR_SIGNATURE, Forge.request(ecInfo, Forge.algorithm("1.2.3.4.5", null),
                ecSignature));
        out.b64("alg/md2-with-rsa", KEY_OR_SIGNATURE, Forge.request(rsaInfo,
                Forge.algorithm("1.2.840.113549.1.1.2", Der.nul()), rsaSignature));
        out.b64("alg/dsa-oid-on-ec-key", KEY_OR_SIGNATURE, Forge.request(ecInfo,
                Forge.algorithm("2.16.840.1.101.3.4.3.2", null), ecSignature));
        byte[][] pssParams = {
            Der.seq(Der.explicit(2, Der.integer(Integer.MAX_VALUE))),
            Der.seq(Der.explicit(2, Der.integer(1 << 30))),
            Der.seq(Der.explicit(2, Der.integer(100_000_000))),
            Der.seq(Der.explicit(2, Der.integer(1L << 40))),
            Der.seq(Der.explicit(0, Forge.algorithm("1.2.3.4", null))),
            Der.seq(Der.explicit(3, Der.integer(2))),
            Der.seq(Der.explicit(2, Der.integer(-1))),
            Der.integer(7),
        };
        for (int i = 0; i < pssParams.length; i++) {
            out.b64("alg/rsa-pss-bad-parameters-" + i, KEY_OR_SIGNATURE, Forge.request(rsaInfo,
                    Forge.algorithm(RSA_PSS, pssParams[i]), rsaSignature));
        }
        KeyPair other = forge.ec("secp256r1");
        out.b64("alg/signed-by-another-key", KEY_OR_SIGNATURE, Forge.request(ecInfo, Forge.algorithmFor(other),
                Der.bits(0, forge.sign(ecInfo, other))));
        KeyPair p384 = forge.ec("secp384r1");
        out.b64("alg/signed-by-p384-key", KEY_OR_SIGNATURE, Forge.request(ecInfo, Forge.algorithmFor(p384),
                Der.bits(0, forge.sign(ecInfo, p384))));
    }

    private static void signatures(CaseList out, Forge forge, byte[] device, KeyPair ec) {
        byte[] info = Forge.info(device, Forge.spki(ec), Forge.attributes());
        byte[] algorithm = Forge.algorithmFor(ec);
        byte[] good = forge.sign(info, ec);
        BigInteger order = new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);
        byte[][][] values = {
            {"zero-r-s".getBytes(), Der.seq(Der.integer(0), Der.integer(0))},
            {"r-equals-order".getBytes(), Der.seq(Der.integer(order), Der.integer(1))},
            {"negative-s".getBytes(), Der.seq(Der.integer(1), Der.integer(-5))},
            {"raw-r-s-not-der".getBytes(), forge.bytes(64)},
            {"trailing-bytes".getBytes(), Der.cat(good, new byte[] {0, 0})},
            {"empty".getBytes(), new byte[0]},
            {"huge-40k".getBytes(), forge.bytes(40_000)},
            {"flipped-bit".getBytes(), flip(good, good.length - 3)},
            {"integers-in-set".getBytes(), Der.set(Der.integer(1), Der.integer(2))},
        };
        for (byte[][] value : values) {
            out.b64("signature/" + new String(value[0]), KEY_OR_SIGNATURE, Forge.request(info, algorithm,
                    Der.bits(0, value[1])));
        }
        out.b64("signature/unused-bits-1", KEY_OR_SIGNATURE, Forge.request(info, algorithm, Der.bits(1, good)));
        byte[] ed = forge.edwards("Ed25519").getPublic().getEncoded();
        byte[] edKey = Arrays.copyOfRange(ed, ed.length - 32, ed.length);
        out.b64("key/ed25519-31-bytes", KEY_OR_SIGNATURE, withKey(forge, device, Der.seq(Forge.algorithm(
                Forge.ED25519, null), Der.bits(0, Arrays.copyOf(edKey, 31))), ec));
        out.b64("key/ed25519-with-parameters", KEY_OR_SIGNATURE, withKey(forge, device, Der.seq(Forge.algorithm(
                Forge.ED25519, Der.nul()), Der.bits(0, edKey)), ec));
        out.b64("key/x25519-cannot-sign", KEY_OR_SIGNATURE, withKey(forge, device, Der.seq(Forge.algorithm(
                "1.3.101.110", null), Der.bits(0, edKey)), ec));
        out.b64("key/unknown-algorithm", KEY_OR_SIGNATURE, withKey(forge, device, Der.seq(Forge.algorithm(
                "1.3.6.1.4.1.99999.7", null), Der.bits(0, edKey)), ec));
    }

    private static byte[] fixed(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    private static byte[] filled(int length, int value) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) value);
        return out;
    }

    private static byte[] flip(byte[] bytes, int position) {
        byte[] out = bytes.clone();
        out[position] ^= 0x01;
        return out;
    }
}
