package org.openest.est.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class EnrollmentGateTest {

    @Test
    void admitsAtMostThePermitsAndTimesOutTheRest() {
        EnrollmentGate gate = new EnrollmentGate(2, 50);
        EnrollmentGate.Permit first = gate.enter();
        EnrollmentGate.Permit second = gate.enter();
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(gate.inProgress()).isEqualTo(2);
        long start = System.nanoTime();
        assertThat(gate.enter()).as("no permit left within the wait").isNull();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(45);
        first.close();
        EnrollmentGate.Permit third = gate.enter();
        assertThat(third).as("a closed permit lets the next one in").isNotNull();
        assertThat(gate.inProgress()).isEqualTo(2);
        second.close();
        third.close();
        assertThat(gate.inProgress()).isZero();
    }

    @Test
    void zeroMeansNoLimit() {
        EnrollmentGate gate = new EnrollmentGate(0, 1);
        List<EnrollmentGate.Permit> held = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            held.add(gate.enter());
        }
        assertThat(held).doesNotContainNull();
        assertThat(gate.size()).isZero();
    }

    @Test
    void waitersAreAdmittedInArrivalOrder() throws Exception {
        EnrollmentGate gate = new EnrollmentGate(1, 10_000);
        EnrollmentGate.Permit holder = gate.enter();
        List<Integer> admitted = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<?>> waiters = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int id = i;
                waiters.add(pool.submit(() -> {
                    EnrollmentGate.Permit permit = gate.enter();
                    admitted.add(id);
                    permit.close();
                }));
                for (int t = 0; t < 200 && gate.waiting() < i + 1; t++) {
                    Thread.sleep(5); // let waiter i queue before waiter i+1 arrives
                }
                assertThat(gate.waiting()).isEqualTo(i + 1);
            }
            holder.close();
            for (Future<?> waiter : waiters) {
                waiter.get(10, TimeUnit.SECONDS);
            }
            assertThat(admitted).containsExactly(0, 1, 2, 3, 4);
        } finally {
            pool.shutdownNow();
        }
    }
}
