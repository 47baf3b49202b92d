package org.openest.est.store;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Makes the threads the webapp starts itself (daemon, named) and keeps track of them, so that a stop can wait until
 * they have really ended. Thread-safe.
 *
 * <p>Why: an executor's shutdown, even with {@code awaitTermination}, returns while its worker thread is still
 * exiting, and Tomcat looks for threads a stopped webapp left running right after the listeners return: it reported
 * HikariCP's {@code est-db:connection-closer} and, once in CI, {@code est-scheduler} as leaks.
 */
public final class OwnedThreads implements ThreadFactory {
    private static final Logger LOG = LogManager.getLogger(OwnedThreads.class);

    private final String name;
    private final boolean numbered;
    private final AtomicInteger count = new AtomicInteger();
    /** Weak: a pool's executors retire idle threads and start new ones over months of uptime. */
    private final Set<Thread> threads = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private OwnedThreads(String name, boolean numbered) {
        this.name = name;
        this.numbered = numbered;
    }

    /**
     * @param name the name of every thread (for an executor of one thread)
     * @return a factory
     */
    public static OwnedThreads named(String name) {
        return new OwnedThreads(name, false);
    }

    /**
     * @param prefix threads are named {@code prefix-1}, {@code prefix-2}, ...
     * @return a factory
     */
    public static OwnedThreads numbered(String prefix) {
        return new OwnedThreads(prefix, true);
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, numbered ? name + "-" + count.incrementAndGet() : name);
        thread.setDaemon(true);
        threads.add(thread);
        return thread;
    }

    /** {@link #awaitExit(Duration)} for at most 5 s. */
    public void awaitExit() {
        awaitExit(Duration.ofSeconds(5));
    }

    /**
     * Waits until every thread made here has ended; call after shutting down the executor that uses them.
     *
     * @param limit longest wait in all
     */
    public void awaitExit(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        List<Thread> started;
        synchronized (threads) {
            started = List.copyOf(threads);
        }
        try {
            for (Thread thread : started) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
                if (thread.isAlive()) {
                    LOG.warn("Thread {} still running after stop", thread.getName());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
