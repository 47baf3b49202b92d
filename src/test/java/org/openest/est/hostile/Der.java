package org.openest.est.hostile;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Byte-level DER/BER building for hostile inputs: unlike an ASN.1 library it happily writes wrong types, illegal
 * lengths, indefinite lengths on primitives, NUL bytes in PrintableStrings and anything else a parser must survive.
 */
public final class Der {
    /** Universal tags used here. */
    public static final int BOOLEAN = 0x01;
    /** INTEGER. */
    public static final int INTEGER = 0x02;
    /** BIT STRING. */
    public static final int BIT_STRING = 0x03;
    /** OCTET STRING. */
    public static final int OCTET_STRING = 0x04;
    /** NULL. */
    public static final int NULL = 0x05;
    /** OBJECT IDENTIFIER. */
    public static final int OID = 0x06;
    /** UTF8String. */
    public static final int UTF8 = 0x0C;
    /** PrintableString. */
    public static final int PRINTABLE = 0x13;
    /** IA5String. */
    public static final int IA5 = 0x16;
    /** BMPString. */
    public static final int BMP = 0x1E;
    /** SEQUENCE (constructed). */
    public static final int SEQUENCE = 0x30;
    /** SET (constructed). */
    public static final int SET = 0x31;

    private Der() {
    }

    /** @return the concatenation of the parts */
    public static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** @return a DER length field (short or minimal long form) */
    public static byte[] length(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        byte[] value = BigInteger.valueOf(length).toByteArray();
        int skip = value[0] == 0 ? 1 : 0;
        byte[] out = new byte[1 + value.length - skip];
        out[0] = (byte) (0x80 | (value.length - skip));
        System.arraycopy(value, skip, out, 1, value.length - skip);
        return out;
    }

    /** @return tag, DER length and the concatenated contents */
    public static byte[] tlv(int tag, byte[]... contents) {
        byte[] body = cat(contents);
        return cat(new byte[] {(byte) tag}, length(body.length), body);
    }

    /** @return tag, a raw (possibly lying or malformed) length field, then the contents */
    public static byte[] rawLength(int tag, byte[] lengthField, byte[]... contents) {
        return cat(new byte[] {(byte) tag}, lengthField, cat(contents));
    }

    /** @return BER indefinite-length encoding: tag, 0x80, contents, and end-of-contents if {@code terminated} */
    public static byte[] indefinite(int tag, boolean terminated, byte[]... contents) {
        return cat(new byte[] {(byte) tag, (byte) 0x80}, cat(contents), terminated ? new byte[2] : new byte[0]);
    }

    /** @return SEQUENCE */
    public static byte[] seq(byte[]... contents) {
        return tlv(SEQUENCE, contents);
    }

    /** @return SET */
    public static byte[] set(byte[]... contents) {
        return tlv(SET, contents);
    }

    /** @return INTEGER */
    public static byte[] integer(BigInteger value) {
        return tlv(INTEGER, value.toByteArray());
    }

    /** @return INTEGER */
    public static byte[] integer(long value) {
        return integer(BigInteger.valueOf(value));
    }

    /** @return NULL */
    public static byte[] nul() {
        return new byte[] {NULL, 0};
    }

    /** @return OCTET STRING */
    public static byte[] octets(byte[] value) {
        return tlv(OCTET_STRING, value);
    }

    /** @return BIT STRING with the given unused-bits count */
    public static byte[] bits(int unused, byte[] value) {
        return tlv(BIT_STRING, new byte[] {(byte) unused}, value);
    }

    /** @return [n] EXPLICIT (constructed context tag) */
    public static byte[] explicit(int n, byte[]... contents) {
        return tlv(0xA0 | n, contents);
    }

    /** @return a string of the given universal type holding exactly these bytes (no validation at all) */
    public static byte[] string(int tag, byte[] value) {
        return tlv(tag, value);
    }

    /** @return UTF8String */
    public static byte[] utf8(String value) {
        return tlv(UTF8, value.getBytes(StandardCharsets.UTF_8));
    }

    /** @return OBJECT IDENTIFIER from dotted form; arcs may be arbitrarily large */
    public static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        BigInteger first = new BigInteger(arcs[0]).multiply(BigInteger.valueOf(40)).add(new BigInteger(arcs[1]));
        base128(body, first);
        for (int i = 2; i < arcs.length; i++) {
            base128(body, new BigInteger(arcs[i]));
        }
        return tlv(OID, body.toByteArray());
    }

    private static void base128(ByteArrayOutputStream out, BigInteger value) {
        int groups = Math.max(1, (value.bitLength() + 6) / 7);
        for (int i = groups - 1; i >= 0; i--) {
            int group = 0;
            for (int bit = 6; bit >= 0; bit--) {
                group = group << 1 | (value.testBit(7 * i + bit) ? 1 : 0);
            }
            out.write(i > 0 ? group | 0x80 : group);
        }
    }

    /** @return AttributeTypeAndValue in a single-valued RDN */
    public static byte[] rdn(String oid, byte[] value) {
        return set(seq(oid(oid), value));
    }

    /** @return a Name (SEQUENCE OF RDN) */
    public static byte[] name(byte[]... rdns) {
        return seq(rdns);
    }

    /** @return {@code count} nested SEQUENCEs around {@code core}, definite lengths (built in linear time) */
    public static byte[] nested(int count, byte[] core) {
        int[] sizes = new int[count + 1];
        sizes[0] = core.length;
        for (int i = 1; i <= count; i++) {
            sizes[i] = 1 + length(sizes[i - 1]).length + sizes[i - 1];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(sizes[count]);
        for (int i = count; i >= 1; i--) {
            out.write(SEQUENCE);
            out.writeBytes(length(sizes[i - 1]));
        }
        out.writeBytes(core);
        return out.toByteArray();
    }

    /** @return {@code depth} nested indefinite-length SEQUENCEs, optionally without any end-of-contents */
    public static byte[] nestedIndefinite(int depth, boolean terminated) {
        byte[] out = new byte[depth * (terminated ? 4 : 2)];
        for (int i = 0; i < depth; i++) {
            out[2 * i] = SEQUENCE;
            out[2 * i + 1] = (byte) 0x80;
        }
        return out; // trailing bytes (if terminated) are already zero: the end-of-contents octets
    }
}
