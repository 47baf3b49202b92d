package org.openest.est.hostile;

import static org.openest.est.hostile.HostileCase.Defect.KEY_OR_SIGNATURE;
import static org.openest.est.hostile.HostileCase.Defect.POLICY;
import static org.openest.est.hostile.HostileCase.Defect.STRUCTURE;

import java.security.KeyPair;
import java.util.Arrays;

/**
 * Encoding attacks on the ASN.1 layer: extreme nesting (definite and indefinite), broken indefinite lengths, length
 * fields claiming up to 2^64 bytes, non-minimal lengths inside the signed part, absurd tags and object identifiers.
 */
final class EncodingFamily {
    private EncodingFamily() {
    }

    static void add(CaseList out, Forge forge) {
        KeyPair keys = forge.ec("secp256r1");
        byte[] subject = Forge.device();
        byte[] spki = Forge.spki(keys);
        byte[] info = Forge.info(subject, spki, Forge.attributes());
        byte[] algorithm = Forge.algorithmFor(keys);
        byte[] signature = Der.bits(0, forge.sign(info, keys));
        byte[] csr = Forge.request(info, algorithm, signature);
        nesting(out, forge, keys, subject, spki);
        indefinite(out, forge, keys, info, algorithm, signature, subject, spki);
        lengths(out, forge, keys, info, algorithm, signature, subject, spki, csr);
        tagsAndOids(out, forge, keys, subject, spki);
    }

    private static void nesting(CaseList out, Forge forge, KeyPair keys, byte[] subject, byte[] spki) {
        out.add("nesting/indefinite-20000-unterminated", STRUCTURE, Der.nestedIndefinite(20_000, false));
        out.b64("nesting/indefinite-10000-terminated", STRUCTURE, Der.nestedIndefinite(10_000, true));
        out.b64("nesting/definite-10000", STRUCTURE, Der.nested(10_000, Der.nul()));
        out.b64("nesting/definite-10000-in-extension-request", POLICY, forge.csr(subject, keys,
                Der.seq(Der.oid(Forge.EXTENSION_REQUEST), Der.set(Der.nested(10_000, Der.nul())))));
        out.b64("nesting/definite-3000-in-extension-value", POLICY, forge.csr(subject, keys, Forge.extensionRequest(
                Forge.extension("2.5.29.17", false, Der.nested(3_000, Der.nul())))));
        out.b64("nesting/definite-3000-as-common-name", POLICY, forge.csr(Der.name(
                Der.rdn("2.5.4.3", Der.nested(3_000, Der.nul()))), keys));
        out.b64("nesting/definite-10000-as-signature-algorithm-parameters", KEY_OR_SIGNATURE, Forge.request(
                Forge.info(subject, spki, Forge.attributes()), Forge.algorithm(Forge.ECDSA_SHA256,
                        Der.nested(10_000, Der.nul())), Der.bits(0, forge.bytes(70))));
    }

    private static void indefinite(CaseList out, Forge forge, KeyPair keys, byte[] info, byte[] algorithm,
                                   byte[] signature, byte[] subject, byte[] spki) {
        out.b64("indefinite/outer-missing-end-of-contents", STRUCTURE,
                Der.indefinite(Der.SEQUENCE, false, info, algorithm, signature));
        out.b64("indefinite/outer-end-of-contents-before-signature", STRUCTURE,
                Der.cat(Der.indefinite(Der.SEQUENCE, true, info, algorithm), signature));
        out.b64("indefinite/on-primitive-integer", STRUCTURE, Der.indefinite(Der.SEQUENCE, true,
                Der.seq(new byte[] {Der.INTEGER, (byte) 0x80, 0, 0, 0}, subject, spki, Forge.attributes()),
                algorithm, signature));
        out.b64("indefinite/on-primitive-bit-string", STRUCTURE, Der.indefinite(Der.SEQUENCE, true, info, algorithm,
                Der.indefinite(Der.BIT_STRING, true, new byte[] {0}, forge.bytes(70))));
        out.b64("indefinite/end-of-contents-inside-definite", STRUCTURE, Forge.request(
                Der.seq(Der.integer(0), new byte[2], subject, spki, Forge.attributes()), algorithm, signature));
        out.b64("indefinite/nested-unterminated-in-subject", STRUCTURE, Der.indefinite(Der.SEQUENCE, true,
                Der.indefinite(Der.SEQUENCE, false, Der.integer(0), Der.indefinite(Der.SEQUENCE, false, subject)),
                algorithm, signature));
        byte[] berInfo = Der.indefinite(Der.SEQUENCE, true, Der.integer(0),
                Der.indefinite(Der.SEQUENCE, true, Arrays.copyOfRange(subject, 2, subject.length)), spki,
                Forge.attributes());
        // Signed over its BER bytes: Bouncy Castle verifies over the DER re-encoding, so the signature fails.
        out.b64("indefinite/signed-part-ber-encoded", KEY_OR_SIGNATURE, Forge.request(berInfo, algorithm,
                Der.bits(0, forge.sign(berInfo, keys))));
    }

    private static void lengths(CaseList out, Forge forge, KeyPair keys, byte[] info, byte[] algorithm,
                                byte[] signature, byte[] subject, byte[] spki, byte[] csr) {
        byte[] rest = Der.cat(info, algorithm, signature);
        byte[][] fields = {
            {(byte) 0x84, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
            {(byte) 0x84, (byte) 0x80, 0, 0, 0},
            {(byte) 0x84, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
            {(byte) 0x88, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF},
            {(byte) 0x89, 1, 0, 0, 0, 0, 0, 0, 0, 0},
            {(byte) 0xFF},
            {(byte) 0x80 | 0x7E},
            {(byte) 0x82, 0x01},
        };
        for (byte[] field : fields) {
            out.b64("length/outer-" + hex(field), STRUCTURE, Der.rawLength(Der.SEQUENCE, field, rest));
            out.add("length/outer-raw-der-" + hex(field), STRUCTURE, Der.rawLength(Der.SEQUENCE, field, rest));
        }
        byte[] huge = {(byte) 0x84, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        out.b64("length/subject-2^31", STRUCTURE, Forge.request(Der.seq(Der.integer(0),
                Der.rawLength(Der.SEQUENCE, huge, Arrays.copyOfRange(subject, 2, subject.length)), spki,
                Forge.attributes()), algorithm, signature));
        out.b64("length/attributes-2^31", STRUCTURE, Forge.request(Der.seq(Der.integer(0), subject, spki,
                Der.rawLength(0xA0, huge)), algorithm, signature));
        out.b64("length/signature-2^31", STRUCTURE, Der.seq(info, algorithm, Der.rawLength(Der.BIT_STRING, huge,
                new byte[] {0}, forge.bytes(70))));
        out.b64("length/extension-value-2^31", STRUCTURE, forge.csr(subject, keys, Forge.extensionRequest(Der.seq(
                Der.oid("2.5.29.17"), Der.rawLength(Der.OCTET_STRING, huge, Der.seq())))));
        out.b64("length/inner-longer-than-outer", STRUCTURE, Der.rawLength(Der.SEQUENCE, Der.length(10), rest));
        out.b64("length/outer-one-short", STRUCTURE, Der.rawLength(Der.SEQUENCE, Der.length(rest.length - 1),
                rest));
        byte[] nonMinimal = Der.cat(new byte[] {Der.SEQUENCE, (byte) 0x84}, java.nio.ByteBuffer.allocate(4)
                .putInt(subject.length - 2).array(), Arrays.copyOfRange(subject, 2, subject.length));
        byte[] nonMinimalInfo = Der.seq(Der.integer(0), nonMinimal, spki, Forge.attributes());
        out.b64("length/non-minimal-in-signed-part", KEY_OR_SIGNATURE, Forge.request(nonMinimalInfo, algorithm,
                Der.bits(0, forge.sign(nonMinimalInfo, keys))));
    }

    private static void tagsAndOids(CaseList out, Forge forge, KeyPair keys, byte[] subject, byte[] spki) {
        byte[] longTag = new byte[10_000];
        Arrays.fill(longTag, (byte) 0xFF);
        longTag[0] = 0x3F;
        longTag[longTag.length - 1] = 0x01;
        out.b64("tag/10k-byte-tag-number", STRUCTURE, Der.cat(longTag, new byte[] {0}));
        out.b64("tag/non-minimal-high-tag", STRUCTURE, new byte[] {0x3F, (byte) 0x80, 0x10, 0x00});
        out.b64("tag/end-of-contents-at-top", STRUCTURE, new byte[] {0, 0});
        out.b64("tag/reserved-universal-14", STRUCTURE, new byte[] {0x2E, 0});
        String hugeArc = "1.2." + "9".repeat(1_000);
        out.b64("oid/signature-algorithm-1000-digit-arc", KEY_OR_SIGNATURE, Forge.request(Forge.info(subject, spki,
                Forge.attributes()), Forge.algorithm(hugeArc, null), Der.bits(0, forge.bytes(70))));
        out.b64("oid/signature-algorithm-20000-digit-arc", STRUCTURE, Forge.request(Forge.info(subject, spki,
                Forge.attributes()), Forge.algorithm("1.2." + "7".repeat(20_000), null), Der.bits(0,
                forge.bytes(70))));
        out.b64("oid/critical-extension-1000-digit-arc", POLICY, forge.csr(subject, keys, Forge.extensionRequest(
                Forge.extension(hugeArc, true, Der.nul()))));
        out.b64("oid/attribute-type-2000-digit-arc", POLICY, forge.csr(Der.name(Der.rdn("1.2." + "8".repeat(2_000),
                Der.utf8("x"))), keys));
        out.b64("oid/empty-oid-as-attribute-type", STRUCTURE, forge.csr(Der.name(Der.set(Der.seq(
                new byte[] {Der.OID, 0}, Der.utf8("x")))), keys));
        out.b64("oid/non-minimal-arc-padding", STRUCTURE, forge.csr(Der.name(Der.set(Der.seq(
                new byte[] {Der.OID, 4, 0x55, (byte) 0x80, (byte) 0x80, 0x03}, Der.utf8("x")))), keys));
        out.b64("oid/unterminated-arc", STRUCTURE, forge.csr(Der.name(Der.set(Der.seq(
                new byte[] {Der.OID, 3, 0x55, 0x04, (byte) 0x83}, Der.utf8("x")))), keys));
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02x", b));
        }
        return text.toString();
    }
}
