package org.openest.est.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 */
final class VerifiedCredentials {
    static final int MAX_ENTRIES = 1024;

    /** What the realm said about a user and password. */
    record Verified(String user, String principal, boolean enrollRole, long expiresAt) {
    }

    private final Map<String, Verified> entries = new ConcurrentHashMap<>();
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

    /** @return the realm's earlier verdict for exactly this user and password, if still fresh */
    Optional<Verified> lookup(String user, String password) {
        if (!enabled()) {
            return Optional.empty();
        }
        String id = id(user, password);
        Verified verified = entries.get(id);
        if (verified == null) {
            return Optional.empty();
        }
        if (clock.getAsLong() - verified.expiresAt() >= 0) {
            entries.remove(id, verified);
            return Optional.empty();
        }
        return Optional.of(verified);
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
        entries.put(id(user, password), new Verified(user, principal, enrollRole, now + ttlNanos));
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
