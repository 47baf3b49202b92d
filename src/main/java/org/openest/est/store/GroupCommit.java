package org.openest.est.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Group commit for the registry's enrollment writes: the records of concurrent enrollments are written in one
 * transaction, so that one commit (one fsync) makes all of them durable. No caller returns before the transaction
 * holding its record has committed, so "recorded before returned" holds exactly as with a transaction of its own.
 *
 * <p>Why: profiled at 32 concurrent enrollments, embedded HSQLDB holds its global transaction lock while a commit
 * syncs the log file, so every other session's statements queue behind each fsync; most of an enrollment's wall time
 * was spent waiting there. PostgreSQL has a group commit of its own, but batching still saves a commit and a round
 * trip per enrollment.
 *
 * <p>How (leader/follower, also called flat combining): a caller queues its work and tries the lock; whoever holds
 * it runs everything queued so far (up to {@code maxBatch}) in one transaction, hands each caller its result and
 * wakes it. The others sleep until they are woken, either because their work has committed or, when a leader is done
 * with its own work, to lead the next batch. A caller whose work another leader committed returns without touching the
 * lock. (It used to wait for the lock to find that out: under load a leader coming back with new work barged ahead of
 * those waiters, so finished callers waited for many further batches. Measured with {@code bench/run.sh --registry}
 * on 2 cores: 8 writers 2 400 -> 5 400 records/s, p99 88-99 -> 5 ms; 32 writers 2 400 -> 7 900 records/s, p99
 * 118-567 -> 17 ms.) If anything in a batch throws (a
 * unique-key race with another node, a deadlock, a lost connection), the whole
 * transaction rolls back and every caller of that batch runs its work again alone, through the caller's own
 * transaction and retry rules, so one failed record never fails the others. A batch of one fails as a transaction
 * of its own would: only a lost race is run again. (A refusal a unit of work decides before it writes anything,
 * such as the registry's duplicate and revocation rules, is better returned as its result than thrown: it then
 * costs the others nothing.)
 *
 * @param <T> what one unit of work returns
 */
final class GroupCommit<T> {
    private final Jdbi jdbi;
    private final int maxBatch;
    private final Predicate<RuntimeException> retryAlone;
    /** Longest a waiting caller sleeps before it looks again (a safety net: it is normally woken). */
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Work<T>> queue = new ConcurrentLinkedQueue<>();

    /** One caller's unit of work and, once its batch has ended, its outcome. */
    private static final class Work<T> {
        final Function<Handle, T> body;
        final Thread caller;
        volatile boolean done;
        T result;
        boolean alone;
        RuntimeException failure;

        Work(Function<Handle, T> body, Thread caller) {
            this.body = body;
            this.caller = caller;
        }
    }

    /**
     * @param jdbi the database
     * @param maxBatch most units of work in one transaction
     * @param retryAlone which failures of a batch of one are worth running again alone (races with other
     *     transactions); any other failure of a lone caller's work is that caller's answer, thrown as it is
     */
    GroupCommit(Jdbi jdbi, int maxBatch, Predicate<RuntimeException> retryAlone) {
        this.jdbi = jdbi;
        this.maxBatch = maxBatch;
        this.retryAlone = retryAlone;
    }

    /**
     * Runs {@code body} in a transaction shared with concurrent callers, or alone through {@code alone} if the
     * shared transaction failed.
     *
     * @param body the work, inside a transaction; must not commit, roll back or keep the handle
     * @param alone the same work in a transaction of its own (with the caller's retry rules), used after a failed batch
     * @return the result of {@code body}, committed
     */
    T run(Function<Handle, T> body, Supplier<T> alone) {
        Work<T> work = new Work<>(body, Thread.currentThread());
        queue.add(work);
        boolean interrupted = false;
        while (!work.done) {
            if (lock.tryLock()) {
                try {
                    while (!work.done) {
                        runBatch();
                    }
                } finally {
                    lock.unlock();
                }
                // Hand over: the caller of the oldest queued work leads next (else it waits for its park timeout).
                Work<T> next = queue.peek();
                if (next != null) {
                    LockSupport.unpark(next.caller);
                }
            } else {
                // A leader is running a batch: wait to be told that ours has committed, or to lead the next one.
                LockSupport.parkNanos(this, PARK_NANOS);
                // Once queued, the work may be committed at any moment, so the caller waits for its outcome even
                // when interrupted; the flag is cleared meanwhile (else parking would return at once, a busy loop)
                // and set again before returning.
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (work.failure != null) {
            throw work.failure;
        }
        return work.alone ? alone.get() : work.result;
    }

    /** @return callers waiting for a batch (for tests and diagnostics) */
    int queued() {
        return queue.size();
    }

    /** Under the lock: one transaction for what is queued. */
    private void runBatch() {
        List<Work<T>> batch = new ArrayList<>();
        for (Work<T> next; batch.size() < maxBatch && (next = queue.poll()) != null;) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            List<T> results = jdbi.inTransaction(handle -> {
                List<T> out = new ArrayList<>(batch.size());
                for (Work<T> work : batch) {
                    out.add(work.body.apply(handle));
                }
                return out;
            });
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result = results.get(i);
            }
        } catch (RuntimeException e) {
            // Rolled back: nothing of this batch is recorded. Each caller runs its own work again, alone; a lone
            // caller only if it lost a race (else the failure, e.g. the database being down, is its answer).
            if (batch.size() == 1 && !retryAlone.test(e)) {
                batch.get(0).failure = e;
            } else {
                batch.forEach(work -> work.alone = true);
            }
        } catch (Error e) {
            // Out of memory, a stack overflow: nothing a caller could retry. Each caller of the batch gets a failure
            // instead of waiting for an outcome that would never come (its work has left the queue).
            batch.forEach(work -> work.failure = new IllegalStateException("recording failed: " + e, e));
            throw e;
        } finally {
            for (Work<T> work : batch) {
                work.done = true;
                LockSupport.unpark(work.caller);
            }
        }
    }
}
