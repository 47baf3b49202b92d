package org.openest.est.guard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One IPv4 or IPv6 address range in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}) or a single address.
 * Addresses are parsed as literals only, never resolved through DNS. An IPv4-mapped IPv6 address
 * ({@code ::ffff:10.1.2.3}) is the IPv4 address, so IPv4 ranges match clients of a dual-stack socket. Immutable.
 */
public final class AddressRange {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private final byte[] network;
    private final int prefixBits;
    private final String text;

    private AddressRange(byte[] network, int prefixBits, String text) {
        this.network = network;
        this.prefixBits = prefixBits;
        this.text = text;
    }

    /**
     * @param text an address or {@code address/prefix-length}
     * @return the range (host bits beyond the prefix are ignored)
     * @throws IllegalArgumentException if it is not an IP literal with a prefix length that fits
     */
    public static AddressRange parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = literal(address).orElseThrow(() ->
                new IllegalArgumentException("'" + trimmed + "' is not an IPv4 or IPv6 address or CIDR range"));
        int bits = bytes.length * 8;
        if (slash >= 0) {
            String length = trimmed.substring(slash + 1);
            if (!length.matches("\\d{1,3}")) {
                throw new IllegalArgumentException("'" + trimmed + "' has no valid prefix length");
            }
            bits = Integer.parseInt(length);
            if (bytes.length == 4 && address.contains(":")) {
                bits -= 96; // ::ffff:a.b.c.d/104 is a.b.c.d/8
            }
            if (bits < 0 || bits > bytes.length * 8) {
                throw new IllegalArgumentException("'" + trimmed + "': prefix length out of range");
            }
        }
        return new AddressRange(bytes, bits, trimmed);
    }

    /**
     * @param address an IP literal as a container reports it (brackets and a zone id are allowed)
     * @return true if it is in this range; false for anything that is not an IP literal
     */
    public boolean contains(String address) {
        return literal(address).map(this::contains).orElse(false);
    }

    private boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefixBits / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (address[full] & mask) == (network[full] & mask);
    }

    /**
     * Parses an IP literal without any name lookup.
     *
     * @param text the literal, optionally in brackets and with a zone id ({@code fe80::1%eth0})
     * @return its 4 or 16 bytes, or empty if it is not an IP literal
     */
    public static Optional<byte[]> literal(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String value = text.trim();
        if (value.startsWith("[") && value.endsWith("]")) {
            value = value.substring(1, value.length() - 1);
        }
        int zone = value.indexOf('%');
        if (zone >= 0) {
            value = value.substring(0, zone);
        }
        Matcher v4 = IPV4.matcher(value);
        if (v4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int part = Integer.parseInt(v4.group(i + 1));
                if (part > 255) {
                    return Optional.empty();
                }
                bytes[i] = (byte) part;
            }
            return Optional.of(bytes);
        }
        if (!value.contains(":") || !IPV6.matcher(value).matches()) {
            return Optional.empty();
        }
        try {
            // In brackets the JDK parses an IPv6 literal or fails; it never falls back to a DNS lookup.
            return Optional.of(InetAddress.getByName("[" + value + "]").getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
