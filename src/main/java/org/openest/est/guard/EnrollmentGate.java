package org.openest.est.guard;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Admission control for the CPU-bound part of an enrollment (CSR decoding and signature check, signing, recording,
 * encoding): at most {@code permits} at a time, admitted first come, first served; a request that cannot start within
 * the wait gets a 503 instead of piling up. Thread-safe.
 *
 * <p>Why: measured at 32 concurrent clients on two cores, letting all of the container's threads run enrollments at
 * once made the operating system's time slicing decide who finishes first: a third of the requests finished in under
 * 10 ms and the rest in 20-140 ms. With a fair queue in front of a few permits the requests wait about as long as
 * each other (p95 60 -> 46 ms, p99 77 -> 62 ms at 4 % less throughput with 8 permits; 4 permits left the cores idle
 * while commits waited for the disk). It also bounds the work a request storm can pile up: past the wait, a 503.
 */
public final class EnrollmentGate {
    private final Semaphore permits;
    private final int size;
    private final long waitMillis;

    /**
     * @param permits enrollments processed at once (0 = no limit)
     * @param waitMillis longest wait for a permit
     */
    public EnrollmentGate(int permits, long waitMillis) {
        this.size = permits;
        this.permits = permits > 0 ? new Semaphore(permits, true) : null;
        this.waitMillis = waitMillis;
    }

    /** A held permit; closing it lets the next request in. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private static final Permit NONE = () -> { };

    /**
     * Waits for a permit, in arrival order.
     *
     * @return the permit, to close when the work is done; null if none came free within the wait (or interrupted)
     */
    public Permit enter() {
        if (permits == null) {
            return NONE;
        }
        try {
            if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return permits::release;
    }

    /** @return enrollments processed at once (0 = no limit) */
    public int size() {
        return size;
    }

    /** @return enrollments holding a permit now (for metrics; 0 when there is no limit) */
    public int inProgress() {
        return permits == null ? 0 : size - permits.availablePermits();
    }

    /** @return requests waiting for a permit now (an estimate, for metrics) */
    public int waiting() {
        return permits == null ? 0 : permits.getQueueLength();
    }
}
