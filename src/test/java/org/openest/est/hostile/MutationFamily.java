package org.openest.est.hostile;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Random;

import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.openest.est.ca.Crypto;
import org.openest.est.protocol.CsrDecoder;
import org.openest.est.protocol.EstException;

/**
 * Seeded random damage to valid requests: truncation at random points, bit flips, byte insertions, deletions,
 * duplications and swaps, on raw DER, base64 and PEM. Each mutant is classified with the server's own decoder (does
 * it still decode?); the rare mutant that still carries a valid signature is dropped, since it is no longer hostile.
 */
final class MutationFamily {
    private static final byte[] BASE64_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);
    private static final CsrDecoder DECODER = new CsrDecoder(Crypto.provider());

    private final CaseList out;
    private final Random random;

    private MutationFamily(CaseList out, Random random) {
        this.out = out;
        this.random = random;
    }

    static void add(CaseList out, Forge forge, Random random) {
        KeyPair ec = forge.ec("secp256r1");
        byte[] plain = forge.csr(Forge.device(), ec);
        byte[] rich = forge.csr(Forge.device(), ec, Forge.extensionRequest(
                Forge.extension("2.5.29.17", false, Der.seq(Der.tlv(0x82, "pump-7.example".getBytes(
                        StandardCharsets.US_ASCII)), Der.tlv(0x87, new byte[] {10, 0, 0, 7}))),
                Forge.extension("2.5.29.15", true, Der.bits(7, new byte[] {(byte) 0x80}))));
        byte[] rsa = forge.csr(Forge.device(), forge.sized("RSA", 2048));
        MutationFamily family = new MutationFamily(out, random);
        family.truncations("ec-der", plain, 20);
        family.truncations("ec-ext-der", rich, 10);
        family.truncations("rsa-der", rsa, 15);
        family.truncations("ec-b64", Forge.b64(plain), 12);
        family.truncations("ec-ext-pem", Forge.pem("CERTIFICATE REQUEST", rich), 8);
        family.bitFlips("ec-der", plain, 40, 1);
        family.bitFlips("ec-ext-der", rich, 20, 1);
        family.bitFlips("rsa-der", rsa, 25, 1);
        family.bitFlips("ec-der-multi", plain, 15, 8);
        family.base64Substitutions("ec-b64", Forge.b64(plain), 15);
        family.base64Substitutions("ec-ext-pem", Forge.pem("CERTIFICATE REQUEST", rich), 5);
        family.splices("ec-der", plain, 10);
        family.splices("rsa-der", rsa, 10);
    }

    private void truncations(String base, byte[] body, int count) {
        emit("truncate/" + base + "@1", Arrays.copyOf(body, 1));
        emit("truncate/" + base + "@" + (body.length - 1), Arrays.copyOf(body, body.length - 1));
        for (int i = 0; i < count; i++) {
            int cut = 1 + random.nextInt(body.length - 1);
            emit("truncate/" + base + "#" + i + "@" + cut, Arrays.copyOf(body, cut));
        }
    }

    private void bitFlips(String base, byte[] body, int count, int maxBits) {
        for (int i = 0; i < count; i++) {
            byte[] mutant = body.clone();
            int bits = 1 + random.nextInt(maxBits);
            StringBuilder where = new StringBuilder();
            for (int b = 0; b < bits; b++) {
                int position = random.nextInt(mutant.length);
                int bit = random.nextInt(8);
                mutant[position] ^= (byte) (1 << bit);
                where.append(b == 0 ? "@" : ",").append(position).append('.').append(bit);
            }
            emit("bitflip/" + base + "#" + i + where, mutant);
        }
    }

    /** Replaces one base64 character by another, so the text stays valid base64 but the DER changes. */
    private void base64Substitutions(String base, byte[] text, int count) {
        for (int i = 0; i < count; i++) {
            byte[] mutant = text.clone();
            int position;
            do {
                position = random.nextInt(mutant.length);
            } while (Arrays.binarySearch(sortedAlphabet(), mutant[position]) < 0);
            byte replacement;
            do {
                replacement = BASE64_ALPHABET[random.nextInt(BASE64_ALPHABET.length)];
            } while (replacement == mutant[position]);
            mutant[position] = replacement;
            emit("b64char/" + base + "#" + i + "@" + position, mutant);
        }
    }

    /** Insertions, deletions, duplicated ranges and swapped bytes. */
    private void splices(String base, byte[] body, int count) {
        for (int i = 0; i < count; i++) {
            int at = random.nextInt(body.length);
            switch (i % 4) {
                case 0 -> emit("insert/" + base + "#" + i + "@" + at, Der.cat(Arrays.copyOf(body, at),
                        new byte[] {(byte) random.nextInt(256)}, Arrays.copyOfRange(body, at, body.length)));
                case 1 -> emit("delete/" + base + "#" + i + "@" + at, Der.cat(Arrays.copyOf(body, at),
                        Arrays.copyOfRange(body, at + 1, body.length)));
                case 2 -> {
                    int end = Math.min(body.length, at + 1 + random.nextInt(32));
                    emit("duplicate/" + base + "#" + i + "@" + at + "-" + end, Der.cat(Arrays.copyOf(body, end),
                            Arrays.copyOfRange(body, at, body.length)));
                }
                default -> {
                    byte[] mutant = body.clone();
                    int other = random.nextInt(body.length);
                    byte swap = mutant[at];
                    mutant[at] = mutant[other];
                    mutant[other] = swap;
                    emit("swap/" + base + "#" + i + "@" + at + "," + other, mutant);
                }
            }
        }
    }

    private void emit(String id, byte[] body) {
        PKCS10CertificationRequest csr;
        try {
            csr = DECODER.decode(body);
        } catch (EstException e) {
            out.add("mutation/" + id, HostileCase.Defect.STRUCTURE, body);
            return;
        }
        try {
            DECODER.verifyProofOfPossession(csr);
        } catch (EstException e) {
            out.add("mutation/" + id, HostileCase.Defect.KEY_OR_SIGNATURE, body);
        }
        // Still validly signed (e.g. a flip that only touched whitespace): not hostile, dropped.
    }

    private static byte[] sortedAlphabet() {
        byte[] sorted = BASE64_ALPHABET.clone();
        Arrays.sort(sorted);
        return sorted;
    }
}
