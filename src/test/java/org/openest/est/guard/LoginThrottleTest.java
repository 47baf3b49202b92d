package org.openest.est.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000_000);

    private LoginThrottle throttle(int perUser, int perIp) {
        return new LoginThrottle(perUser, perIp, Duration.ofSeconds(300), Duration.ofSeconds(120), 1000, now::get);
    }

    private static void fail(LoginThrottle throttle, String ip, String user, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failure(ip, user);
        }
    }

    @Test
    void locksAUserNameAfterTheLimitForTheLockoutTime() {
        LoginThrottle throttle = throttle(3, 0);
        fail(throttle, "10.0.0.1", "alice", 2);
        assertThat(throttle.lockedFor("10.0.0.1", "alice")).isEmpty();
        fail(throttle, "10.0.0.2", "alice", 1);
        assertThat(throttle.lockedFor("10.0.0.9", "alice")).hasValue(120);
        assertThat(throttle.lockedFor("10.0.0.1", "bob")).as("per-address limit is off").isEmpty();
        now.addAndGet(119_500);
        assertThat(throttle.lockedFor("10.0.0.1", "alice")).hasValue(1);
        now.addAndGet(500);
        assertThat(throttle.lockedFor("10.0.0.1", "alice")).isEmpty();
        fail(throttle, "10.0.0.1", "alice", 2);
        assertThat(throttle.lockedFor("10.0.0.1", "alice")).as("fresh count after a lockout").isEmpty();
    }

    @Test
    void locksAnAddressOverAllUserNames() {
        LoginThrottle throttle = throttle(0, 3);
        throttle.failure("10.0.0.1", "a");
        throttle.failure("10.0.0.1", "b");
        throttle.failure("10.0.0.1", "c");
        assertThat(throttle.lockedFor("10.0.0.1", "estuser")).hasValue(120);
        assertThat(throttle.lockedFor("10.0.0.2", "estuser")).isEmpty();
    }

    @Test
    void failuresOutsideTheWindowDoNotCount() {
        LoginThrottle throttle = throttle(3, 3);
        fail(throttle, "10.0.0.1", "alice", 2);
        now.addAndGet(300_000);
        fail(throttle, "10.0.0.1", "alice", 2);
        assertThat(throttle.lockedFor("10.0.0.1", "alice")).isEmpty();
        throttle.failure("10.0.0.1", "alice");
        assertThat(throttle.lockedFor("10.0.0.1", "alice")).isPresent();
    }

    @Test
    void successForgetsOnlyThatUserFromThatAddress() {
        LoginThrottle throttle = throttle(3, 3);
        fail(throttle, "10.0.0.66", "alice", 2);      // attacker on alice from .66
        throttle.success("10.0.0.1", "alice");        // the real alice logs in from .1
        throttle.failure("10.0.0.66", "alice");
        assertThat(throttle.lockedFor("10.0.0.66", "alice")).as("the real user's login reset nothing").isPresent();

        LoginThrottle other = throttle(3, 3);
        fail(other, "10.0.0.7", "bob", 2);           // attacker with own account mallory guesses bob from .7
        other.success("10.0.0.7", "mallory");
        other.failure("10.0.0.7", "carol");
        assertThat(other.lockedFor("10.0.0.7", "mallory")).as("own logins do not reset the address").isPresent();

        LoginThrottle typo = throttle(3, 3);
        fail(typo, "10.0.0.1", "dave", 2);            // a device mistypes twice, then succeeds
        typo.success("10.0.0.1", "dave");
        fail(typo, "10.0.0.1", "dave", 2);
        assertThat(typo.lockedFor("10.0.0.1", "dave")).isEmpty();
    }

    @Test
    void unknownAndKnownNamesAreLockedAlike() {
        LoginThrottle throttle = throttle(2, 0);
        fail(throttle, "10.0.0.1", "no-such-user", 2);
        fail(throttle, "10.0.0.1", "estuser", 2);
        assertThat(throttle.lockedFor("10.0.0.1", "no-such-user")).isEqualTo(throttle.lockedFor("10.0.0.1",
                "estuser"));
    }

    @Test
    void memoryIsBoundedOldestForgottenFirst() {
        LoginThrottle throttle = new LoginThrottle(2, 2, Duration.ofSeconds(300), Duration.ofSeconds(60), 100,
                now::get);
        fail(throttle, "10.0.0.1", "target", 2);
        for (int i = 0; i < 500; i++) {
            throttle.failure("10.0.0.1", "spray-" + i);
            assertThat(throttle.tracked()).isLessThanOrEqualTo(100);
        }
        throttle.failure("10.0.0.1", "x".repeat(100_000));
        assertThat(throttle.tracked()).isLessThanOrEqualTo(100);
    }

    @Test
    void isThreadSafe() throws Exception {
        LoginThrottle throttle = throttle(1000, 0);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 124; i++) {
                        throttle.failure("10.0.0.1", "shared");
                        throttle.lockedFor("10.0.0.1", "shared");
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(throttle.lockedFor("10.0.0.1", "shared")).as("992 failures < 1000").isEmpty();
        fail(throttle, "10.0.0.1", "shared", 8);
        assertThat(throttle.lockedFor("10.0.0.1", "shared")).as("exactly 1000 counted").isPresent();
    }
}
