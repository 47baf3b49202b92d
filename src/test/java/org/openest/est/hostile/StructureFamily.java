package org.openest.est.hostile;

import static org.openest.est.hostile.HostileCase.Defect.POLICY;
import static org.openest.est.hostile.HostileCase.Defect.STRUCTURE;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Random;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.openest.est.protocol.CertsOnly;

/**
 * Bodies that are not a PKCS#10 request: empty and random bytes, broken base64 and PEM, other ASN.1 types where a
 * CSR is expected (certificate, PKCS#7, CRL, CMS, keys, primitives), and CSR-shaped structures with fields of the
 * wrong type, count or version.
 */
final class StructureFamily {
    private StructureFamily() {
    }

    static void add(CaseList out, Forge forge, Random random) throws Exception {
        KeyPair keys = forge.ec("secp256r1");
        byte[] csr = forge.csr(Forge.device(), keys);
        transport(out, forge, random, csr);
        wrongTypes(out, forge, keys, csr);
        csrShapes(out, forge, keys);
    }

    private static void transport(CaseList out, Forge forge, Random random, byte[] csr) {
        out.add("transport/empty", STRUCTURE, new byte[0]);
        out.add("transport/whitespace", STRUCTURE, " \r\n\t \r\n".getBytes(StandardCharsets.US_ASCII));
        out.add("transport/nul-bytes", STRUCTURE, new byte[64]);
        out.add("transport/single-sequence-tag", STRUCTURE, new byte[] {0x30});
        out.add("transport/empty-sequence", STRUCTURE, new byte[] {0x30, 0x00});
        out.add("transport/single-0xff", STRUCTURE, new byte[] {(byte) 0xFF});
        for (int length : new int[] {7, 100, 1000, 10_000, 60_000}) {
            out.add("transport/random-binary-" + length, STRUCTURE, forge.bytes(length));
            byte[] sequence = forge.bytes(length);
            sequence[0] = 0x30;
            out.add("transport/random-binary-0x30-" + length, STRUCTURE, sequence);
        }
        for (int length : new int[] {40, 4000}) {
            byte[] text = new byte[length];
            for (int i = 0; i < length; i++) {
                text[i] = (byte) (0x21 + random.nextInt(0x5E));
            }
            out.add("transport/random-ascii-" + length, STRUCTURE, text);
        }
        for (int length : new int[] {4, 96, 6000}) {
            out.add("transport/base64-of-random-" + length, STRUCTURE, Forge.b64(forge.bytes(length)));
        }
        out.add("transport/base64-bad-padding", STRUCTURE, ascii("QUJD="));
        out.add("transport/base64-only-padding", STRUCTURE, ascii("===="));
        out.add("transport/base64-inner-padding", STRUCTURE, ascii("MII=BAAA"));
        String b64 = Base64.getEncoder().encodeToString(csr);
        if (b64.contains("+") || b64.contains("/")) {
            out.add("transport/base64url-alphabet", STRUCTURE, Base64.getUrlEncoder().encode(csr));
        }
        out.add("transport/base64-twice", STRUCTURE, Base64.getEncoder().encode(Forge.b64(csr)));
        out.add("transport/base64-of-pem", STRUCTURE, Forge.b64(Forge.pem("CERTIFICATE REQUEST", csr)));
        out.add("transport/utf16-base64-with-bom", STRUCTURE, ("\uFEFF" + b64).getBytes(StandardCharsets.UTF_16LE));
        out.add("transport/base64-with-nul", STRUCTURE, ascii(b64.substring(0, 40) + "\0" + b64.substring(40)));
        out.add("transport/base64-with-nbsp", STRUCTURE, (b64.substring(0, 40) + "\u00A0" + b64.substring(40))
                .getBytes(StandardCharsets.UTF_8));
        out.add("transport/data-uri", STRUCTURE, ascii("data:application/pkcs10;base64," + b64));
        out.add("transport/json", STRUCTURE, ascii("{\"csr\":\"" + b64 + "\"}"));
        out.add("transport/form-urlencoded", STRUCTURE, ascii("csr=" + b64.replace("+", "%2B")));
        out.add("transport/leading-zero-byte", STRUCTURE, Der.cat(new byte[1], csr));
        out.add("transport/trailing-byte", STRUCTURE, Der.cat(csr, new byte[] {0x00}));
        out.add("transport/trailing-garbage", STRUCTURE, Der.cat(csr, forge.bytes(100)));
        out.add("transport/two-csrs-der", STRUCTURE, Der.cat(csr, csr));
        out.add("transport/truncated-length", STRUCTURE, Arrays.copyOf(csr, 3));
        pem(out, forge, csr);
    }

    private static void pem(CaseList out, Forge forge, byte[] csr) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(csr);
        out.add("pem/header-only", STRUCTURE, ascii("-----BEGIN CERTIFICATE REQUEST-----\n"));
        out.add("pem/no-end-line", STRUCTURE, ascii("-----BEGIN CERTIFICATE REQUEST-----\n" + body + "\n"));
        out.add("pem/begin-only", STRUCTURE, ascii("-----BEGIN"));
        out.add("pem/garbage-inside", STRUCTURE,
                ascii("-----BEGIN CERTIFICATE REQUEST-----\n!!not base64!!\n-----END CERTIFICATE REQUEST-----\n"));
        out.add("pem/binary-inside", STRUCTURE, Der.cat(ascii("-----BEGIN CERTIFICATE REQUEST-----\n"),
                forge.bytes(300), ascii("\n-----END CERTIFICATE REQUEST-----\n")));
        out.add("pem/mismatched-end-label", STRUCTURE,
                ascii("-----BEGIN CERTIFICATE REQUEST-----\n" + body + "\n-----END CERTIFICATE-----\n"));
        out.add("pem/encrypted-headers", STRUCTURE, ascii("-----BEGIN CERTIFICATE REQUEST-----\n"
                + "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n"
                + Base64.getMimeEncoder().encodeToString(forge.bytes(240)) + "\n-----END CERTIFICATE REQUEST-----\n"));
        out.add("pem/50k-line", STRUCTURE, ascii("-----BEGIN CERTIFICATE REQUEST-----\n" + "A".repeat(50_000)
                + "\n-----END CERTIFICATE REQUEST-----\n"));
        out.add("pem/csr-label-unknown", STRUCTURE, Forge.pem("CERTIFICATE REQUESTX", csr));
        out.add("pem/truncated-body", STRUCTURE, Forge.pem("CERTIFICATE REQUEST", Arrays.copyOf(csr, 60)));
    }

    private static void wrongTypes(CaseList out, Forge forge, KeyPair keys, byte[] csr) throws Exception {
        X500Name issuer = new X500Name("CN=Hostile type CA");
        X509CertificateHolder holder = new X509v3CertificateBuilder(issuer, BigInteger.valueOf(7030),
                new Date(1_735_689_600_000L), new Date(2_051_222_400_000L), issuer,
                SubjectPublicKeyInfo.getInstance(Forge.spki(keys)))
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .build(forge.contentSigner(keys));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
        byte[] cert = certificate.getEncoded();
        out.b64("type/certificate", STRUCTURE, cert);
        out.add("type/certificate-raw-der", STRUCTURE, cert);
        out.add("type/certificate-pem-as-csr", STRUCTURE, Forge.pem("CERTIFICATE REQUEST", cert));
        out.add("type/certificate-pem", STRUCTURE, Forge.pem("CERTIFICATE", cert));
        out.b64("type/pkcs7-certs-only", STRUCTURE, CertsOnly.encode(List.of(certificate)));
        out.add("type/pkcs7-pem", STRUCTURE, Forge.pem("PKCS7", CertsOnly.encode(List.of(certificate))));
        out.b64("type/pkcs8-private-key", STRUCTURE, keys.getPrivate().getEncoded());
        out.add("type/pkcs8-pem", STRUCTURE, Forge.pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        out.b64("type/subject-public-key-info", STRUCTURE, Forge.spki(keys));
        out.b64("type/crl", STRUCTURE, new X509v2CRLBuilder(issuer, new Date(1_735_689_600_000L))
                .build(forge.contentSigner(keys)).getEncoded());
        out.b64("type/cms-signed-data-with-csr", STRUCTURE, new CMSSignedDataGenerator()
                .generate(new CMSProcessableByteArray(csr), true).getEncoded());
        out.b64("type/integer", STRUCTURE, Der.integer(5));
        out.b64("type/integer-40k", STRUCTURE, Der.integer(new BigInteger(1, forge.bytes(40_000))));
        out.b64("type/null", STRUCTURE, Der.nul());
        out.b64("type/boolean", STRUCTURE, new byte[] {Der.BOOLEAN, 1, (byte) 0xFF});
        out.b64("type/oid", STRUCTURE, Der.oid(Forge.EXTENSION_REQUEST));
        out.b64("type/utf8string", STRUCTURE, Der.utf8("certification request"));
        out.b64("type/octet-string-with-csr", STRUCTURE, Der.octets(csr));
        out.b64("type/set-with-csr-fields", STRUCTURE, Der.set(Arrays.copyOfRange(csr, headerLength(csr),
                csr.length)));
        out.b64("type/sequence-with-csr", STRUCTURE, Der.seq(csr));
        out.b64("type/sequence-of-two-csrs", STRUCTURE, Der.seq(csr, csr));
        out.b64("type/context-tagged-csr", STRUCTURE, Der.explicit(0, csr));
        out.b64("type/application-tagged-csr", STRUCTURE, Der.tlv(0x61, csr));
        byte[][] junk = new byte[300][];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = Der.integer(new BigInteger(1, forge.bytes(1 + i % 40)));
        }
        out.b64("type/sequence-of-300-integers", STRUCTURE, Der.seq(junk));
        out.b64("type/sequence-of-nulls", STRUCTURE, Der.seq(Der.integer(0), Der.nul(), Der.nul()));
        out.b64("type/request-info-alone", STRUCTURE, Forge.info(Forge.device(), Forge.spki(keys),
                Forge.attributes()));
    }

    private static void csrShapes(CaseList out, Forge forge, KeyPair keys) {
        byte[] subject = Forge.device();
        byte[] spki = Forge.spki(keys);
        byte[] attributes = Forge.attributes();
        out.b64("shape/version-1", POLICY, forge.signed(Der.seq(Der.integer(1), subject, spki, attributes), keys));
        out.b64("shape/version-minus-1", POLICY, forge.signed(Der.seq(Der.integer(-1), subject, spki, attributes),
                keys));
        out.b64("shape/version-2^200", POLICY, forge.signed(Der.seq(Der.integer(BigInteger.TWO.pow(200)), subject,
                spki, attributes), keys));
        out.b64("shape/version-missing", STRUCTURE, forge.signed(Der.seq(subject, spki, attributes), keys));
        out.b64("shape/version-as-octets", STRUCTURE, forge.signed(Der.seq(Der.octets(new byte[1]), subject, spki,
                attributes), keys));
        out.b64("shape/attributes-as-sequence", STRUCTURE, forge.signed(Der.seq(Der.integer(0), subject, spki,
                Der.seq()), keys));
        out.b64("shape/attributes-tag-1", STRUCTURE, forge.signed(Der.seq(Der.integer(0), subject, spki,
                Der.tlv(0xA1)), keys));
        out.b64("shape/subject-as-set", STRUCTURE, forge.signed(Der.seq(Der.integer(0), Der.set(), spki,
                attributes), keys));
        out.b64("shape/subject-as-utf8", STRUCTURE, forge.signed(Der.seq(Der.integer(0), Der.utf8(Forge.DEVICE),
                spki, attributes), keys));
        out.b64("shape/spki-null", STRUCTURE, forge.signed(Der.seq(Der.integer(0), subject, Der.nul(),
                attributes), keys));
        out.b64("shape/spki-empty-sequence", STRUCTURE, forge.signed(Der.seq(Der.integer(0), subject, Der.seq(),
                attributes), keys));
        out.b64("shape/info-empty", STRUCTURE, forge.signed(Der.seq(), keys));
        byte[] info = Forge.info(subject, spki, attributes);
        byte[] signature = Der.bits(0, forge.sign(info, keys));
        byte[] algorithm = Forge.algorithmFor(keys);
        out.b64("shape/outer-two-fields", STRUCTURE, Der.seq(info, algorithm));
        out.b64("shape/outer-four-fields", STRUCTURE, Der.seq(info, algorithm, signature, Der.nul()));
        out.b64("shape/outer-fields-swapped", STRUCTURE, Der.seq(algorithm, info, signature));
        out.b64("shape/algorithm-as-integer", STRUCTURE, Der.seq(info, Der.integer(7), signature));
        out.b64("shape/algorithm-as-bare-oid", STRUCTURE, Der.seq(info, Der.oid(Forge.ECDSA_SHA256), signature));
        out.b64("shape/signature-as-octets", STRUCTURE, Der.seq(info, algorithm,
                Der.octets(Arrays.copyOfRange(signature, 3, signature.length))));
        out.b64("shape/signature-zero-length-bitstring", STRUCTURE, Der.seq(info, algorithm, new byte[] {3, 0}));
        out.b64("shape/signature-unused-bits-8", STRUCTURE, Der.seq(info, algorithm, Der.bits(8, new byte[] {1})));
        out.b64("shape/info-as-set", STRUCTURE, Der.seq(Der.set(Arrays.copyOfRange(info, headerLength(info),
                info.length)), algorithm, signature));
    }

    /** @return the length of the tag and length octets of a DER TLV */
    static int headerLength(byte[] der) {
        int first = der[1] & 0xFF;
        return first < 0x80 ? 2 : 2 + (first & 0x7F);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
