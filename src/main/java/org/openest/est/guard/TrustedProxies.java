package org.openest.est.guard;

import java.util.ArrayList;
import java.util.List;

/**
 * The load balancers whose forwarded headers are believed ({@code http.trusted-proxies}). Empty means none: every
 * peer is the client itself. Immutable.
 */
public final class TrustedProxies {
    /** X-Forwarded-For entries looked at, from the right, at most. */
    private static final int MAX_HOPS = 20;

    private final List<AddressRange> ranges;

    /**
     * @param ranges the trusted ranges
     */
    public TrustedProxies(List<AddressRange> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /**
     * @param entries addresses or CIDR ranges as configured
     * @return the trusted proxies
     * @throws IllegalArgumentException naming the first entry that is not an address or range
     */
    public static TrustedProxies parse(List<String> entries) {
        List<AddressRange> ranges = new ArrayList<>();
        for (String entry : entries) {
            ranges.add(AddressRange.parse(entry));
        }
        return new TrustedProxies(ranges);
    }

    /** @return true if no proxy is trusted */
    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /**
     * @param peer the address of the TCP peer (the container's remote address)
     * @return true if it is a trusted proxy
     */
    public boolean trusts(String peer) {
        for (AddressRange range : ranges) {
            if (range.contains(peer)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client's address: the peer itself, unless the peer is a trusted proxy; then X-Forwarded-For is read from
     * the right (the entry the proxy appended) past every further trusted proxy, to the first address that is not
     * one. Entries left of that were written by the client and are never believed. An entry that is not an IP
     * literal stops the walk at the last trusted hop.
     *
     * @param peer the TCP peer address
     * @param forwardedFor the X-Forwarded-For header lines, in order (empty if none)
     * @return the client address
     */
    public String clientAddress(String peer, List<String> forwardedFor) {
        if (!trusts(peer) || forwardedFor.isEmpty()) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String line : forwardedFor) {
            for (String hop : line.split(",")) {
                hops.add(hop.trim());
            }
        }
        String client = peer;
        for (int i = hops.size() - 1, seen = 0; i >= 0 && seen < MAX_HOPS; i--, seen++) {
            String hop = hops.get(i);
            if (AddressRange.literal(hop).isEmpty()) {
                break;
            }
            client = hop;
            if (!trusts(hop)) {
                break;
            }
        }
        return client;
    }

    @Override
    public String toString() {
        return ranges.toString();
    }
}
