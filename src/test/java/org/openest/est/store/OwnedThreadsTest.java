package org.openest.est.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class OwnedThreadsTest {

    /**
     * Why: an executor's shutdownNow and even awaitTermination return while its worker may still be exiting; Tomcat,
     * looking right after the webapp stopped, reported "est-scheduler" as a leaked thread once in CI. After
     * awaitExit no thread of the factory is alive, even with every core busy (as on a loaded server).
     */
    @Test
    void noThreadIsAliveAfterAwaitExit() throws InterruptedException {
        BusyCores busy = BusyCores.start();
        try {
            for (int round = 0; round < 40; round++) {
                String name = "owned-threads-test-" + round;
                OwnedThreads threads = OwnedThreads.named(name);
                ExecutorService executor = Executors.newSingleThreadScheduledExecutor(threads);
                executor.submit(() -> { });
                executor.shutdownNow();
                assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
                threads.awaitExit();
                assertThat(alive(name)).as("round %d", round).isEmpty();
            }
        } finally {
            busy.stop();
        }
    }

    /** Two spinning threads per core, as on a loaded server, so that an exiting thread waits for a CPU. */
    static final class BusyCores {
        private final AtomicBoolean done = new AtomicBoolean();
        private final List<Thread> threads;

        private BusyCores() {
            threads = IntStream.range(0, 2 * Runtime.getRuntime().availableProcessors())
                    .mapToObj(i -> new Thread(() -> {
                        while (!done.get()) {
                            Thread.onSpinWait();
                        }
                    })).toList();
            threads.forEach(Thread::start);
        }

        static BusyCores start() {
            return new BusyCores();
        }

        void stop() throws InterruptedException {
            done.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }

    @Test
    void namesAndMarksItsThreads() {
        Thread single = OwnedThreads.named("est-x").newThread(() -> { });
        OwnedThreads numbered = OwnedThreads.numbered("est-y");
        Thread first = numbered.newThread(() -> { });
        Thread second = numbered.newThread(() -> { });
        assertThat(single.getName()).isEqualTo("est-x");
        assertThat(List.of(first.getName(), second.getName())).containsExactly("est-y-1", "est-y-2");
        assertThat(List.of(single, first, second)).allMatch(Thread::isDaemon);
    }

    private static List<String> alive(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name::equals).toList();
    }
}
