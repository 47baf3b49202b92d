package org.openest.est.guard;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Locks out HTTP Basic guessing: after {@code maxPerUser} failed logins for one user name, or {@code maxPerIp} from
 * one client address, within the window, further attempts for that name or from that address are refused for the
 * lockout time without the password being checked. Each lockout is written to {@code est.audit} (never a password:
 * this class never sees one).
 *
 * <p>Why a success only forgets the failures of the same user name from the same address: if a success cleared the
 * user's counter, an attacker guessing from another address would get fresh attempts every time the real device
 * logs in; if it cleared the address's counter, an attacker holding one valid account could interleave its own
 * logins with guesses at other accounts.
 *
 * <p>Unknown and existing user names are counted and locked alike, so a 429 does not reveal which names exist.
 * Memory is bounded: at most {@code maxTracked} names and addresses are remembered, the least recently seen are
 * forgotten first, and each keeps at most its limit of failures. Thread-safe: every method holds this object's
 * lock for a few list operations.
 */
public final class LoginThrottle {
    private static final Logger AUDIT = LogManager.getLogger("est.audit");
    /** Longer user names are cut for tracking, so a name cannot make an entry large. */
    private static final int MAX_NAME = 256;

    private final int maxPerUser;
    private final int maxPerIp;
    private final long windowMillis;
    private final long lockoutMillis;
    private final LongSupplier clock;
    private final Map<String, Track> tracks;

    /** Failures of one user name or one address, and the end of its lockout. */
    private static final class Track {
        private final ArrayDeque<Failure> failures = new ArrayDeque<>();
        private long lockedUntil;
    }

    /** One failure: when, and the other half of the pair (the address for a user, the user for an address). */
    private record Failure(long at, String counterpart) {
    }

    /**
     * @param maxPerUser failures per user name before a lockout (0 = no per-user limit)
     * @param maxPerIp failures per client address before a lockout (0 = no per-address limit)
     * @param window how far back failures count
     * @param lockout how long a lockout lasts
     * @param maxTracked most names and addresses remembered at once
     * @param clock monotonic milliseconds (e.g. {@code System.nanoTime() / 1_000_000})
     */
    public LoginThrottle(int maxPerUser, int maxPerIp, Duration window, Duration lockout, int maxTracked,
                         LongSupplier clock) {
        this.maxPerUser = maxPerUser;
        this.maxPerIp = maxPerIp;
        this.windowMillis = window.toMillis();
        this.lockoutMillis = lockout.toMillis();
        this.clock = clock;
        this.tracks = new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Track> eldest) {
                return size() > maxTracked;
            }
        };
    }

    /**
     * @param ip client address
     * @param user user name from the Basic header
     * @return seconds until an attempt is allowed again, or empty if it is allowed now
     */
    public synchronized OptionalLong lockedFor(String ip, String user) {
        long now = clock.getAsLong();
        long until = Math.max(lockedUntil(maxPerUser, userKey(user)), lockedUntil(maxPerIp, ipKey(ip)));
        return until <= now ? OptionalLong.empty() : OptionalLong.of((until - now + 999) / 1000);
    }

    /**
     * Records a failed login; starts and audits a lockout when a limit is reached.
     *
     * @param ip client address
     * @param user user name from the Basic header
     */
    public synchronized void failure(String ip, String user) {
        long now = clock.getAsLong();
        count(maxPerUser, userKey(user), ip, now, "user", name(user), ip);
        count(maxPerIp, ipKey(ip), name(user), now, "ip", ip, ip);
    }

    /**
     * Records a successful login: forgets this user name's failures from this address and this address's failures
     * for this user name, nothing else (see the class comment).
     *
     * @param ip client address
     * @param user user name from the Basic header
     */
    public synchronized void success(String ip, String user) {
        forget(maxPerUser, userKey(user), ip);
        forget(maxPerIp, ipKey(ip), name(user));
    }

    /** @return number of names and addresses currently remembered */
    public synchronized int tracked() {
        return tracks.size();
    }

    private long lockedUntil(int limit, String key) {
        if (limit == 0) {
            return 0;
        }
        Track track = tracks.get(key);
        return track == null ? 0 : track.lockedUntil;
    }

    private void count(int limit, String key, String counterpart, long now, String kind, String value, String ip) {
        if (limit == 0) {
            return;
        }
        Track track = tracks.computeIfAbsent(key, k -> new Track());
        while (!track.failures.isEmpty() && now - track.failures.peekFirst().at() >= windowMillis) {
            track.failures.pollFirst();
        }
        track.failures.addLast(new Failure(now, counterpart));
        while (track.failures.size() > limit) {
            track.failures.pollFirst();
        }
        if (track.failures.size() >= limit && track.lockedUntil <= now) {
            track.lockedUntil = now + lockoutMillis;
            track.failures.clear();
            AUDIT.warn("LOCKOUT {}=\"{}\" failures={} window={}s lockout={}s ip={}", kind, value, limit,
                    windowMillis / 1000, lockoutMillis / 1000, ip);
        }
    }

    private void forget(int limit, String key, String counterpart) {
        if (limit == 0) {
            return;
        }
        Track track = tracks.get(key);
        if (track == null) {
            return;
        }
        for (Iterator<Failure> it = track.failures.iterator(); it.hasNext();) {
            if (it.next().counterpart().equals(counterpart)) {
                it.remove();
            }
        }
    }

    private static String name(String user) {
        return user.length() > MAX_NAME ? user.substring(0, MAX_NAME) : user;
    }

    private static String userKey(String user) {
        return "u:" + name(user);
    }

    private static String ipKey(String ip) {
        return "i:" + ip;
    }
}
