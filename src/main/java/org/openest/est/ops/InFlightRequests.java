package org.openest.est.ops;

import java.time.Duration;

/**
 * Counts requests running in the webapp so that shutdown can wait for them before it closes the database: a request
 * that is recording a certificate finishes its transaction instead of failing half-way. Thread-safe.
 */
public final class InFlightRequests {
    private int running;

    /** A request starts. */
    public synchronized void enter() {
        running++;
    }

    /** A request ends. */
    public synchronized void exit() {
        running--;
        if (running <= 0) {
            notifyAll();
        }
    }

    /** @return requests running now */
    public synchronized int running() {
        return running;
    }

    /**
     * Waits until no request is running, or the timeout passes.
     *
     * @param timeout the longest wait
     * @return true if idle, false if requests were still running at the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
