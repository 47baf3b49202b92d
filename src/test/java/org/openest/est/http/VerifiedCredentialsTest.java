package org.openest.est.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class VerifiedCredentialsTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final VerifiedCredentials cache = new VerifiedCredentials(60, now::get);

    @Test
    void remembersOnlyTheExactUserAndPassword() {
        cache.remember("gw", "secret", "gw", true);
        assertThat(cache.lookup("gw", "secret")).hasValueSatisfying(v -> {
            assertThat(v.principal()).isEqualTo("gw");
            assertThat(v.enrollRole()).isTrue();
        });
        assertThat(cache.lookup("gw", "secret2")).isEmpty();
        assertThat(cache.lookup("gw", "Secret")).isEmpty();
        assertThat(cache.lookup("gw2", "secret")).isEmpty();
        // user/password boundary: "a" + "b:c" must not equal "a:b" + "c"
        cache.remember("a", "b:c", "a", true);
        assertThat(cache.lookup("a:b", "c")).isEmpty();
    }

    @Test
    void expiresAfterTheTtlAndOneRequestRechecksInItsLastQuarter() {
        cache.remember("gw", "secret", "gw", true);
        now.addAndGet(44_999_999_999L);
        assertThat(cache.lookup("gw", "secret")).isPresent();
        now.addAndGet(1); // 45 s: the last quarter of the 60 s
        assertThat(cache.lookup("gw", "secret")).as("the first request re-checks with the realm").isEmpty();
        assertThat(cache.lookup("gw", "secret")).as("the others go on using the entry").isPresent();
        assertThat(cache.lookup("gw", "secret")).isPresent();
        now.addAndGet(14_999_999_999L);
        assertThat(cache.lookup("gw", "secret")).isPresent();
        now.addAndGet(1); // 60 s
        assertThat(cache.lookup("gw", "secret")).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void aRecheckThatSucceedsRenewsTheEntry() {
        cache.remember("gw", "secret", "gw", true);
        now.addAndGet(50_000_000_000L);
        assertThat(cache.lookup("gw", "secret")).isEmpty(); // this request asks the realm
        cache.remember("gw", "secret", "gw", true);
        cache.settled("gw", "secret");
        now.addAndGet(40_000_000_000L); // 90 s: the first entry would have expired, the renewed one has not
        assertThat(cache.lookup("gw", "secret")).isPresent();
    }

    @Test
    void concurrentMissesWaitForOneRealmCheck() throws Exception {
        assertThat(cache.lookup("gw", "secret")).as("this thread asks the realm").isEmpty();
        ExecutorService others = Executors.newFixedThreadPool(4);
        try {
            List<Future<Optional<VerifiedCredentials.Verified>>> waiting = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                waiting.add(others.submit(() -> cache.lookup("gw", "secret")));
            }
            awaitWaiting(others, 4);
            assertThat(waiting).noneMatch(Future::isDone);
            cache.remember("gw", "secret", "gw-principal", true);
            cache.settled("gw", "secret");
            for (Future<Optional<VerifiedCredentials.Verified>> answer : waiting) {
                assertThat(answer.get(5, TimeUnit.SECONDS)).hasValueSatisfying(
                        v -> assertThat(v.principal()).isEqualTo("gw-principal"));
            }
        } finally {
            others.shutdownNow();
        }
    }

    @Test
    void whenTheRealmCheckFailsTheWaitingRequestsAskTheRealmThemselves() throws Exception {
        assertThat(cache.lookup("gw", "wrong")).isEmpty();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<VerifiedCredentials.Verified>> waiting = other.submit(() -> cache.lookup("gw", "wrong"));
            awaitWaiting(other, 1);
            cache.failed("gw");
            cache.settled("gw", "wrong");
            assertThat(waiting.get(5, TimeUnit.SECONDS)).isEmpty();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aCheckThatNeverSettlesIsAbandonedAfterTheWait() throws Exception {
        assertThat(cache.lookup("gw", "secret")).isEmpty(); // and never settled (say the realm hung)
        now.addAndGet(VerifiedCredentials.WAIT_MILLIS * 1_000_000L + 1);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            assertThat(other.submit(() -> cache.lookup("gw", "secret")).get(2, TimeUnit.SECONDS))
                    .as("no wait behind an abandoned check").isEmpty();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void settledByAnotherThreadReleasesNothing() throws Exception {
        assertThat(cache.lookup("gw", "secret")).isEmpty();
        ExecutorService others = Executors.newFixedThreadPool(2);
        try {
            Future<Optional<VerifiedCredentials.Verified>> waiting = others.submit(() -> cache.lookup("gw", "secret"));
            awaitWaiting(others, 1);
            others.submit(() -> cache.settled("gw", "secret")).get(5, TimeUnit.SECONDS);
            Thread.sleep(200);
            assertThat(waiting.isDone()).as("only the thread that asks the realm settles its check").isFalse();
            cache.remember("gw", "secret", "gw", true);
            cache.settled("gw", "secret");
            assertThat(waiting.get(5, TimeUnit.SECONDS)).isPresent();
        } finally {
            others.shutdownNow();
        }
    }

    /** Waits until {@code count} pool threads are parked in {@link VerifiedCredentials#lookup}. */
    private static void awaitWaiting(ExecutorService pool, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getState() == Thread.State.TIMED_WAITING)
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals("lookup")
                        && f.getClassName().equals(VerifiedCredentials.class.getName())))
                .count() < count) {
            assertThat(System.nanoTime()).as("threads waiting in lookup").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void aFailedLoginForgetsTheUser() {
        cache.remember("gw", "secret", "gw", true);
        cache.remember("other", "pw", "other", true);
        cache.failed("gw");
        assertThat(cache.lookup("gw", "secret")).isEmpty();
        assertThat(cache.lookup("other", "pw")).isPresent();
    }

    @Test
    void isBounded() {
        for (int i = 0; i < VerifiedCredentials.MAX_ENTRIES * 3; i++) {
            cache.remember("user" + i, "pw", "user" + i, false);
            assertThat(cache.size()).isLessThanOrEqualTo(VerifiedCredentials.MAX_ENTRIES);
        }
    }

    @Test
    void zeroTtlDisablesIt() {
        VerifiedCredentials off = new VerifiedCredentials(0, now::get);
        off.remember("gw", "secret", "gw", true);
        assertThat(off.lookup("gw", "secret")).isEmpty();
        assertThat(off.size()).isZero();
    }
}
