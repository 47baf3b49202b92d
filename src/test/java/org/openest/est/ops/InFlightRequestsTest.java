package org.openest.est.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class InFlightRequestsTest {

    @Test
    void idleAtOnceWhenNothingRuns() throws Exception {
        assertThat(new InFlightRequests().awaitIdle(Duration.ZERO)).isTrue();
    }

    @Test
    void waitsForARunningRequestAndGivesUpAtTheTimeout() throws Exception {
        InFlightRequests inFlight = new InFlightRequests();
        inFlight.enter();
        long start = System.nanoTime();
        assertThat(inFlight.awaitIdle(Duration.ofMillis(200))).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(190).toNanos());
        assertThat(inFlight.running()).isEqualTo(1);

        CountDownLatch waiting = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> drained = pool.submit(() -> {
                waiting.countDown();
                return inFlight.awaitIdle(Duration.ofSeconds(30));
            });
            waiting.await();
            Thread.sleep(50);
            assertThat(drained).isNotDone();
            inFlight.exit();
            assertThat(drained.get()).isTrue();
        } finally {
            pool.shutdown();
        }
    }
}
