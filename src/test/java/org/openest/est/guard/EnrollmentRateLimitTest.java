package org.openest.est.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class EnrollmentRateLimitTest {
    private final AtomicLong now = new AtomicLong(5_000_000);

    @Test
    void allowsTheLimitThenOneEveryPeriod() {
        EnrollmentRateLimit limit = new EnrollmentRateLimit(3, 100, now::get);
        assertThat(limit.acquire("gw")).isEmpty();
        assertThat(limit.acquire("gw")).isEmpty();
        assertThat(limit.acquire("gw")).isEmpty();
        assertThat(limit.acquire("gw")).hasValue(20);
        assertThat(limit.acquire("other")).as("per principal").isEmpty();
        now.addAndGet(19_000);
        assertThat(limit.acquire("gw")).hasValue(1);
        now.addAndGet(1_000);
        assertThat(limit.acquire("gw")).isEmpty();
        assertThat(limit.acquire("gw")).isPresent();
    }

    @Test
    void zeroIsOff() {
        EnrollmentRateLimit limit = new EnrollmentRateLimit(0, 100, now::get);
        for (int i = 0; i < 1000; i++) {
            assertThat(limit.acquire("gw")).isEmpty();
        }
    }
}
