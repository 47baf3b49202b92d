package org.openest.est.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A short-lived memory of HTTP Basic credentials the container realm has verified, so that a client that sends the
 * same user and password on every request pays the realm's deliberately slow password hash (PBKDF2, 100000
 * iterations: about 100 ms of CPU) once per {@code ttl}, not once per request.
 *
 * <p>Safety: the key is HMAC-SHA256 of user and password under a random 256-bit key that lives only in this object
 * (never the password, and useless outside this JVM); a lookup needs the exact password. At most {@link #MAX_ENTRIES}
 * entries, each valid for at most {@code ttl}. A failed login of a user removes every entry of that user, so from then
 * on the realm (and its lock-out) decides each request again. Thread-safe.
 *
 * <p>No stampede: a gateway keeps many connections busy with the same credentials, and when its entry expired they all
 * missed at once and each paid the hash (32 connections: 3 s of CPU, seconds of stall for every request in flight,
 * once a minute). Now, in the last quarter of an entry's life, one request re-checks with the realm while the others
 * go on using the entry; and on a miss one request asks the realm while concurrent requests with the same user and
 * password wait for its verdict ({@link #lookup}; the asking request then calls {@link #settled}).
 */
final class VerifiedCredentials {
    static final int MAX_ENTRIES = 1024;
    /** How long a request waits for another one's realm check of the same user and password. */
    static final long WAIT_MILLIS = 10_000;

    /**
     * What the realm said about a user and password: used until {@code expiresAt}; from {@code refreshAt} on, the first
     * request to see it ({@code refreshing}) re-checks with the realm.
     */
    record Verified(String user, String principal, boolean enrollRole, long refreshAt, long expiresAt,
                    AtomicBoolean refreshing) {
    }

    /** A realm check under way for one user and password, by {@code owner} since {@code since}. */
    private record Pending(Thread owner, long since, CountDownLatch done) {
    }

    private final Map<String, Verified> entries = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final LongSupplier clock;
    private final SecretKeySpec key;

    /**
     * @param ttlSeconds how long an entry is used (0 disables the cache)
     * @param clock nanosecond clock
     */
    VerifiedCredentials(int ttlSeconds, LongSupplier clock) {
        this.ttlNanos = ttlSeconds * 1_000_000_000L;
        this.clock = clock;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    boolean enabled() {
        return ttlNanos > 0;
    }

    /**
     * The realm's earlier verdict for exactly this user and password, if still fresh. Empty means: ask the realm, then
     * call {@link #settled} (after {@link #remember} or {@link #failed}). It is empty for one request when the entry is
     * due for its re-check, and on a miss for the one request that claims the realm check; a concurrent request with
     * the same user and password waits (at most {@link #WAIT_MILLIS}) for that check and gets its verdict, or, if it
     * failed, asks the realm itself.
     *
     * @return the remembered verdict, or empty if the caller must ask the realm
     */
    Optional<Verified> lookup(String user, String password) {
        if (!enabled()) {
            return Optional.empty();
        }
        String id = id(user, password);
        boolean waited = false;
        while (true) {
            Verified verified = entries.get(id);
            long now = clock.getAsLong();
            if (verified != null && now - verified.expiresAt() < 0) {
                if (now - verified.refreshAt() >= 0 && verified.refreshing().compareAndSet(false, true)) {
                    return Optional.empty(); // this request re-checks; the others keep using the entry meanwhile
                }
                return Optional.of(verified);
            }
            if (verified != null) {
                entries.remove(id, verified);
            }
            if (waited) {
                return Optional.empty(); // the other request's check failed or took too long: ask the realm
            }
            Pending mine = new Pending(Thread.currentThread(), now, new CountDownLatch(1));
            Pending other = pending.putIfAbsent(id, mine);
            if (other == null || other.owner() == Thread.currentThread()
                    || (now - other.since() > WAIT_MILLIS * 1_000_000L && pending.replace(id, other, mine))) {
                return Optional.empty(); // this request asks the realm (a check older than the wait is abandoned)
            }
            try {
                other.done().await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            waited = true;
        }
    }

    /**
     * The realm has answered a request that {@link #lookup} sent to it (call after {@link #remember} or
     * {@link #failed}, also when the realm threw): releases the requests waiting for this check.
     */
    void settled(String user, String password) {
        if (!enabled()) {
            return;
        }
        String id = id(user, password);
        Pending mine = pending.get(id);
        if (mine != null && mine.owner() == Thread.currentThread() && pending.remove(id, mine)) {
            mine.done().countDown();
        }
    }

    /** Remembers a successful realm login. */
    void remember(String user, String password, String principal, boolean enrollRole) {
        if (!enabled()) {
            return;
        }
        long now = clock.getAsLong();
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(v -> now - v.expiresAt() >= 0);
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear(); // bounded: many distinct users within one TTL just go back to the realm
            }
        }
        entries.put(id(user, password), new Verified(user, principal, enrollRole, now + ttlNanos - ttlNanos / 4,
                now + ttlNanos, new AtomicBoolean()));
    }

    /** A failed login: forget every password remembered for this user. */
    void failed(String user) {
        entries.values().removeIf(v -> v.user().equals(user));
    }

    int size() {
        return entries.size();
    }

    private String id(String user, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] userBytes = user.getBytes(StandardCharsets.UTF_8);
            mac.update((byte) (userBytes.length >>> 24));
            mac.update((byte) (userBytes.length >>> 16));
            mac.update((byte) (userBytes.length >>> 8));
            mac.update((byte) userBytes.length);
            mac.update(userBytes);
            return Base64.getEncoder().encodeToString(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
