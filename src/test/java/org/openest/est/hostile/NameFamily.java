package org.openest.est.hostile;

import static org.openest.est.hostile.HostileCase.Defect.POLICY;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;

/**
 * Correctly signed requests whose subject or requested extensions a device certificate must never get: CA powers,
 * unknown critical extensions, duplicated or malformed extension requests, oversized subjects, NUL and other control
 * characters, non-string attribute values, invalid UTF-8, malformed subjectAltNames.
 */
final class NameFamily {
    private static final String CN = "2.5.4.3";
    private static final String O = "2.5.4.10";
    private static final String SAN = "2.5.29.17";

    private NameFamily() {
    }

    static void add(CaseList out, Forge forge) {
        KeyPair keys = forge.ec("secp256r1");
        extensions(out, forge, keys);
        subjects(out, forge, keys);
        altNames(out, forge, keys);
    }

    private static byte[] withExtensions(Forge forge, KeyPair keys, byte[]... extensions) {
        return forge.csr(Forge.device(), keys, Forge.extensionRequest(extensions));
    }

    private static void extensions(CaseList out, Forge forge, KeyPair keys) {
        byte[] caTrue = Forge.extension("2.5.29.19", true, Der.seq(new byte[] {Der.BOOLEAN, 1, (byte) 0xFF}));
        out.b64("ext/basic-constraints-ca-true", POLICY, withExtensions(forge, keys, caTrue));
        out.b64("ext/basic-constraints-ca-true-path-0", POLICY, withExtensions(forge, keys, Forge.extension(
                "2.5.29.19", false, Der.seq(new byte[] {Der.BOOLEAN, 1, (byte) 0xFF}, Der.integer(0)))));
        out.b64("ext/key-usage-key-cert-sign", POLICY, withExtensions(forge, keys, Forge.extension("2.5.29.15", true,
                Der.bits(2, new byte[] {0x04}))));
        out.b64("ext/key-usage-crl-sign", POLICY, withExtensions(forge, keys, Forge.extension("2.5.29.15", true,
                Der.bits(1, new byte[] {0x02}))));
        out.b64("ext/key-usage-signature-and-cert-sign", POLICY, withExtensions(forge, keys, Forge.extension(
                "2.5.29.15", false, Der.bits(2, new byte[] {(byte) 0x84}))));
        out.b64("ext/name-constraints", POLICY, withExtensions(forge, keys, Forge.extension("2.5.29.30", true,
                Der.seq(Der.tlv(0xA0, Der.seq(Der.tlv(0x82, ascii("example.com"))))))));
        out.b64("ext/unknown-critical", POLICY, withExtensions(forge, keys, Forge.extension(
                "1.3.6.1.4.1.99999.1", true, Der.nul())));
        out.b64("ext/unknown-critical-among-allowed", POLICY, withExtensions(forge, keys,
                Forge.extension("2.5.29.15", true, Der.bits(7, new byte[] {(byte) 0x80})),
                Forge.extension("1.3.6.1.4.1.99999.2", true, Der.octets(forge.bytes(64)))));
        out.b64("ext/policy-constraints-critical", POLICY, withExtensions(forge, keys, Forge.extension(
                "2.5.29.36", true, Der.seq(Der.tlv(0x80, new byte[] {0})))));
        out.b64("ext/same-extension-twice", POLICY, withExtensions(forge, keys, caTrue, caTrue));
        byte[] san = Forge.extension(SAN, false, Der.seq(Der.tlv(0x82, ascii("pump-1.example"))));
        out.b64("ext/two-subject-alt-names", POLICY, withExtensions(forge, keys, san, Forge.extension(SAN, false,
                Der.seq(Der.tlv(0x82, ascii("pump-2.example"))))));
        byte[] request = Forge.extensionRequest(san);
        out.b64("ext/extension-request-attribute-twice", POLICY, forge.csr(Forge.device(), keys, request, request));
        out.b64("ext/extension-request-two-values", POLICY, forge.csr(Forge.device(), keys, Der.seq(
                Der.oid(Forge.EXTENSION_REQUEST), Der.set(Der.seq(san), Der.seq(caTrue)))));
        out.b64("ext/extension-request-empty-set", POLICY, forge.csr(Forge.device(), keys, Der.seq(
                Der.oid(Forge.EXTENSION_REQUEST), Der.set())));
        out.b64("ext/extension-request-integer", POLICY, forge.csr(Forge.device(), keys, Der.seq(
                Der.oid(Forge.EXTENSION_REQUEST), Der.set(Der.integer(5)))));
        out.b64("ext/extension-critical-flag-not-boolean", POLICY, withExtensions(forge, keys, Der.seq(
                Der.oid(SAN), Der.integer(1), Der.octets(Der.seq(Der.tlv(0x82, ascii("x.example")))))));
        out.b64("ext/extension-value-not-octets", POLICY, withExtensions(forge, keys, Der.seq(Der.oid(SAN),
                Der.seq(Der.tlv(0x82, ascii("x.example"))))));
        out.b64("ext/basic-constraints-garbage", POLICY, withExtensions(forge, keys, Forge.extension("2.5.29.19",
                true, forge.bytes(20))));
        out.b64("ext/key-usage-garbage", POLICY, withExtensions(forge, keys, Forge.extension("2.5.29.15", true,
                Der.utf8("keyCertSign"))));
    }

    private static void subjects(CaseList out, Forge forge, KeyPair keys) {
        byte[] org = Der.rdn(O, Der.utf8("EST hostile tests"));
        out.b64("subject/10000-character-cn", POLICY, forge.csr(Der.name(Der.rdn(CN, Der.utf8("x".repeat(10_000))),
                org), keys));
        byte[][] many = new byte[250][];
        for (int i = 0; i < many.length; i++) {
            many[i] = Der.rdn("2.5.4.11", Der.utf8("unit-" + i + "-" + "u".repeat(30)));
        }
        out.b64("subject/250-rdns", POLICY, forge.csr(Der.name(many), keys));
        byte[][] values = new byte[400][];
        for (int i = 0; i < values.length; i++) {
            values[i] = Der.seq(Der.oid("2.5.4.11"), Der.utf8("v" + i));
        }
        out.b64("subject/multi-valued-rdn-400", POLICY, forge.csr(Der.name(Der.set(values)), keys));
        String[][] strings = {
            {"nul-in-utf8-cn", "12", "hostile-device\0.evil"},
            {"nul-in-printable-cn", "19", "hostile\0device"},
            {"nul-only-cn", "12", "\0"},
            {"crlf-in-cn", "12", "hostile-device\r\nCN=admin"},
            {"escape-sequence-in-cn", "12", "hostile\u001b[31mdevice"},
            {"del-in-cn", "12", "hostile\u007fdevice"},
            {"nul-in-ia5-email", "22", "dev@example.com\0evil.example"},
        };
        for (String[] s : strings) {
            out.b64("subject/" + s[0], POLICY, forge.csr(Der.name(Der.rdn(s[0].endsWith("email")
                    ? "1.2.840.113549.1.9.1" : CN, Der.string(Integer.parseInt(s[1]), s[2].getBytes(
                    StandardCharsets.UTF_8))), org), keys));
        }
        out.b64("subject/nul-in-bmp-cn", POLICY, forge.csr(Der.name(Der.rdn(CN, Der.string(Der.BMP,
                "host\0ile".getBytes(StandardCharsets.UTF_16BE))), org), keys));
        out.b64("subject/bmp-odd-length", POLICY, forge.csr(Der.name(Der.rdn(CN, Der.string(Der.BMP,
                new byte[] {0, 'a', 0})), org), keys));
        out.b64("subject/invalid-utf8-cn", POLICY, forge.csr(Der.name(Der.rdn(CN, Der.string(Der.UTF8,
                new byte[] {'d', 'e', 'v', (byte) 0xC3, 0x28, (byte) 0xFF})), org), keys));
        out.b64("subject/overlong-utf8-nul", POLICY, forge.csr(Der.name(Der.rdn(CN, Der.string(Der.UTF8,
                new byte[] {'d', (byte) 0xC0, (byte) 0x80, 'v'})), org), keys));
        out.b64("subject/printable-with-forbidden-chars", POLICY, forge.csr(Der.name(Der.rdn(CN,
                Der.string(Der.PRINTABLE, ascii("dev<script>@*"))), org), keys));
        out.b64("subject/cn-is-integer", POLICY, forge.csr(Der.name(Der.rdn(CN, Der.integer(42)), org), keys));
        out.b64("subject/cn-is-sequence", POLICY, forge.csr(Der.name(Der.rdn(CN, Der.seq(Der.utf8("a"),
                Der.utf8("b")))), keys));
        out.b64("subject/cn-is-null", POLICY, forge.csr(Der.name(Der.rdn(CN, Der.nul()), org), keys));
        out.b64("subject/empty-rdn-set", POLICY, forge.csr(Der.name(Der.set(), org), keys));
        out.b64("subject/attribute-without-value", POLICY, forge.csr(Der.name(Der.set(Der.seq(Der.oid(CN))), org),
                keys));
        out.b64("subject/attribute-type-integer", POLICY, forge.csr(Der.name(Der.set(Der.seq(Der.integer(3),
                Der.utf8("x")))), keys));
        out.b64("subject/rdn-not-a-set", POLICY, forge.csr(Der.name(Der.seq(Der.seq(Der.oid(CN),
                Der.utf8("x")))), keys));
        out.b64("subject/empty-no-san", POLICY, forge.csr(Der.name(), keys));
        out.b64("subject/empty-cn-only", POLICY, forge.csr(Der.name(Der.rdn(CN, Der.utf8(""))), keys));
    }

    private static void altNames(CaseList out, Forge forge, KeyPair keys) {
        byte[][][] names = {
            {ascii("dns-with-nul"), Der.tlv(0x82, ascii("good.example\0.evil.example"))},
            {ascii("email-with-nul"), Der.tlv(0x81, ascii("dev@good.example\0@evil.example"))},
            {ascii("uri-with-crlf"), Der.tlv(0x86, ascii("https://good.example/\r\nX-Evil: 1"))},
            {ascii("dns-with-utf8"), Der.tlv(0x82, "p\u00fcmp.example".getBytes(StandardCharsets.UTF_8))},
            {ascii("ip-5-bytes"), Der.tlv(0x87, new byte[] {10, 0, 0, 7, 1})},
            {ascii("ip-empty"), Der.tlv(0x87, new byte[0])},
            {ascii("dns-empty"), Der.tlv(0x82, new byte[0])},
            {ascii("unknown-tag-9"), Der.tlv(0x89, ascii("x"))},
            {ascii("directory-name-garbage"), Der.tlv(0xA4, Der.integer(5))},
            {ascii("other-name-without-value"), Der.tlv(0xA0, Der.oid("1.3.6.1.4.1.99999.3"))},
        };
        for (byte[][] name : names) {
            out.b64("san/" + new String(name[0], StandardCharsets.US_ASCII), POLICY, withExtensions(forge, keys,
                    Forge.extension(SAN, false, Der.seq(name[1]))));
        }
        out.b64("san/empty-general-names", POLICY, withExtensions(forge, keys, Forge.extension(SAN, false,
                Der.seq())));
        out.b64("san/not-a-sequence", POLICY, withExtensions(forge, keys, Forge.extension(SAN, false,
                Der.utf8("pump.example"))));
        out.b64("san/junk-octets", POLICY, withExtensions(forge, keys, Forge.extension(SAN, false,
                forge.bytes(40))));
        out.b64("san/empty-subject-and-empty-san", POLICY, forge.csr(Der.name(), keys, Forge.extensionRequest(
                Forge.extension(SAN, true, Der.seq()))));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
