package org.openest.est.guard;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Enrollment requests per authenticated client per minute ({@code auth.max-enrollments-per-minute}), as a token
 * bucket per principal: a client may send up to the limit at once, then one more each {@code 60 / limit} seconds.
 * Memory is bounded to {@code maxTracked} clients, least recently seen forgotten first (a forgotten client starts
 * with a full bucket). Thread-safe.
 */
public final class EnrollmentRateLimit {
    private final int perMinute;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets;

    /** One token is this many units; the bucket refills {@code perMinute} units per millisecond (integer math). */
    private static final long TOKEN = 60_000;

    /** Units left and when they were last counted. */
    private static final class Bucket {
        private long units;
        private long updated;
    }

    /**
     * @param perMinute enrollments per client per minute (0 = no limit)
     * @param maxTracked most clients remembered at once
     * @param clock monotonic milliseconds
     */
    public EnrollmentRateLimit(int perMinute, int maxTracked, LongSupplier clock) {
        this.perMinute = perMinute;
        this.clock = clock;
        this.buckets = new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxTracked;
            }
        };
    }

    /**
     * Takes one enrollment from the principal's allowance.
     *
     * @param principal the authenticated client (Basic user or certificate subject)
     * @return empty if allowed; else the seconds until the next enrollment is allowed
     */
    public synchronized OptionalLong acquire(String principal) {
        if (perMinute == 0) {
            return OptionalLong.empty();
        }
        long now = clock.getAsLong();
        long capacity = perMinute * TOKEN;
        Bucket bucket = buckets.get(principal);
        if (bucket == null) {
            bucket = new Bucket();
            bucket.units = capacity;
            bucket.updated = now;
            buckets.put(principal, bucket);
        }
        long elapsed = Math.min(Math.max(0, now - bucket.updated), TOKEN);
        bucket.units = Math.min(capacity, bucket.units + elapsed * perMinute);
        bucket.updated = now;
        if (bucket.units >= TOKEN) {
            bucket.units -= TOKEN;
            return OptionalLong.empty();
        }
        long waitMillis = (TOKEN - bucket.units + perMinute - 1) / perMinute;
        return OptionalLong.of(Math.max(1, (waitMillis + 999) / 1000));
    }
}
