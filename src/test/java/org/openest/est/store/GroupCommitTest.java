package org.openest.est.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Group commit on a real in-memory HSQLDB: batching, durability of each caller's work, isolation of failures. */
class GroupCommitTest {
    private Jdbi jdbi;
    private Handle keepAlive;
    private ExecutorService pool;

    @BeforeEach
    void open() {
        jdbi = Jdbi.create("jdbc:hsqldb:mem:" + UUID.randomUUID() + ";hsqldb.tx=mvcc", "SA", "");
        keepAlive = jdbi.open();
        keepAlive.execute("CREATE TABLE t (name VARCHAR(32) PRIMARY KEY)");
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        keepAlive.close();
    }

    private List<String> names() {
        return keepAlive.createQuery("SELECT name FROM t ORDER BY name").mapTo(String.class).list();
    }

    private static Function<Handle, String> insert(String name, Set<Handle> handles) {
        return handle -> {
            handles.add(handle);
            handle.execute("INSERT INTO t (name) VALUES (?)", name);
            return name;
        };
    }

    /**
     * Starts a leader whose own work blocks until {@code release} opens, and returns once it is inside that work (it
     * holds the lock), so that the next callers queue up behind it.
     */
    private Future<String> blockedLeader(GroupCommit<String> group, CountDownLatch release)
            throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        Future<String> leader = pool.submit(() -> group.run(handle -> {
            inside.countDown();
            try {
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            handle.execute("INSERT INTO t (name) VALUES ('leader')");
            return "leader";
        }, () -> "leader alone"));
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        return leader;
    }

    private static void awaitQueued(GroupCommit<String> group, int expected) throws InterruptedException {
        for (int i = 0; i < 500 && group.queued() < expected; i++) {
            Thread.sleep(10);
        }
        assertThat(group.queued()).isEqualTo(expected);
    }

    /** Queues {@code count} inserting callers ("f0", "f1", ...) behind a blocked leader, then releases it. */
    private Future<String> queueBehindBlockedLeader(GroupCommit<String> group, int count, Set<Handle> handles,
                                                    List<Future<String>> followers) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Future<String> leader = blockedLeader(group, release);
        for (int i = 0; i < count; i++) {
            String name = "f" + i;
            followers.add(pool.submit(() -> group.run(insert(name, handles), () -> name + " alone")));
        }
        awaitQueued(group, count);
        release.countDown();
        return leader;
    }

    @Test
    void concurrentCallersShareOneTransactionAndAllCommit() throws Exception {
        GroupCommit<String> group = new GroupCommit<>(jdbi, 64, e -> false);
        Set<Handle> handles = ConcurrentHashMap.newKeySet();
        List<Future<String>> followers = new ArrayList<>();
        Future<String> leader = queueBehindBlockedLeader(group, 5, handles, followers);

        assertThat(leader.get(10, TimeUnit.SECONDS)).isEqualTo("leader");
        for (int i = 0; i < 5; i++) {
            assertThat(followers.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("f" + i);
        }
        assertThat(handles).as("the five queued callers ran in one transaction").hasSize(1);
        assertThat(names()).containsExactly("f0", "f1", "f2", "f3", "f4", "leader");
    }

    @Test
    void aFailingCallerRollsBackTheBatchAndEveryoneElseStillCommitsAlone() throws Exception {
        GroupCommit<String> group = new GroupCommit<>(jdbi, 64, e -> false);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> leader = blockedLeader(group, release);

        Set<Handle> handles = ConcurrentHashMap.newKeySet();
        List<Future<String>> ok = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            ok.add(pool.submit(() -> group.run(insert(name, handles), () -> jdbi.inTransaction(
                    handle -> insert(name + "-alone", handles).apply(handle)))));
        }
        Future<String> failing = pool.submit(() -> group.run(handle -> {
            throw new IllegalArgumentException("refused");
        }, () -> {
            throw new IllegalArgumentException("refused alone");
        }));
        awaitQueued(group, 3);
        release.countDown();

        assertThat(leader.get(10, TimeUnit.SECONDS)).isEqualTo("leader");
        assertThat(ok.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("a-alone");
        assertThat(ok.get(1).get(10, TimeUnit.SECONDS)).isEqualTo("b-alone");
        assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().hasMessage("refused alone");
        // The batch's own inserts of a and b were rolled back with it: nothing is recorded twice.
        assertThat(names()).containsExactly("a-alone", "b-alone", "leader");
    }

    @Test
    void aLoneCallersFailureIsThrownAsItIsUnlessItIsWorthRetrying() {
        GroupCommit<String> group = new GroupCommit<>(jdbi, 64, e -> e instanceof IllegalStateException);
        assertThatThrownBy(() -> group.run(handle -> {
            throw new IllegalArgumentException("database down");
        }, () -> "alone")).hasMessage("database down");
        assertThat(group.run(handle -> {
            throw new IllegalStateException("lost a race");
        }, () -> "alone")).isEqualTo("alone");
    }

    @Test
    void aBatchNeverExceedsItsLimit() throws Exception {
        GroupCommit<String> group = new GroupCommit<>(jdbi, 2, e -> false);
        Set<Handle> handles = ConcurrentHashMap.newKeySet();
        List<Future<String>> followers = new ArrayList<>();
        Future<String> leader = queueBehindBlockedLeader(group, 5, handles, followers);
        leader.get(10, TimeUnit.SECONDS);
        for (Future<String> follower : followers) {
            assertThat(follower.get(10, TimeUnit.SECONDS)).startsWith("f").doesNotContain("alone");
        }
        assertThat(handles).as("5 callers, at most 2 per transaction").hasSize(3);
        assertThat(names()).hasSize(6);
    }

    /**
     * Many callers at once, every tenth of them refused: each caller gets its own answer, every accepted record is
     * committed exactly once, and no caller is left waiting (callers do not take the lock to learn that another
     * leader committed their work, so a lost wake-up would show as a hang here).
     */
    @Test
    void underContentionEveryCallerGetsItsOwnAnswerAndEveryRecordIsCommittedOnce() throws Exception {
        GroupCommit<String> group = new GroupCommit<>(jdbi, 8, e -> false);
        int threads = 16;
        int calls = 150;
        List<Future<List<String>>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(pool.submit(() -> {
                List<String> answers = new ArrayList<>();
                for (int i = 0; i < calls; i++) {
                    String name = thread + "-" + i;
                    boolean refused = i % 10 == 0;
                    try {
                        answers.add(group.run(handle -> {
                            if (refused) {
                                throw new IllegalArgumentException("refused " + name);
                            }
                            handle.execute("INSERT INTO t (name) VALUES (?)", name);
                            return name;
                        }, () -> {
                            if (refused) {
                                throw new IllegalArgumentException("refused alone " + name);
                            }
                            return jdbi.inTransaction(handle -> insert(name, ConcurrentHashMap.newKeySet())
                                    .apply(handle));
                        }));
                    } catch (IllegalArgumentException e) {
                        answers.add(e.getMessage());
                    }
                }
                return answers;
            }));
        }
        for (int t = 0; t < threads; t++) {
            List<String> answers = workers.get(t).get(60, TimeUnit.SECONDS);
            for (int i = 0; i < calls; i++) {
                String name = t + "-" + i;
                if (i % 10 == 0) {
                    // refused in a shared batch (then again alone), or alone from the start (a batch of one)
                    assertThat(answers.get(i)).isIn("refused alone " + name, "refused " + name);
                } else {
                    assertThat(answers.get(i)).isEqualTo(name);
                }
            }
        }
        List<String> names = names();
        assertThat(names).doesNotHaveDuplicates().hasSize(threads * (calls - calls / 10));
        assertThat(group.queued()).isZero();
    }

    /** An interrupted caller still gets its committed answer (its work may already be in a batch) and its flag back. */
    @Test
    void anInterruptedCallerWaitsForItsOutcomeAndKeepsItsInterruptFlag() throws Exception {
        GroupCommit<String> group = new GroupCommit<>(jdbi, 64, e -> false);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> leader = blockedLeader(group, release);
        Thread[] follower = new Thread[1];
        Future<String> answer = pool.submit(() -> {
            follower[0] = Thread.currentThread();
            String result = group.run(insert("interrupted", ConcurrentHashMap.newKeySet()), () -> "alone");
            return result + (Thread.currentThread().isInterrupted() ? " +flag" : " -flag");
        });
        awaitQueued(group, 1);
        follower[0].interrupt();
        Thread.sleep(50); // the follower, interrupted, must keep waiting (not return, not spin past its work)
        assertThat(answer.isDone()).isFalse();
        release.countDown();
        assertThat(leader.get(10, TimeUnit.SECONDS)).isEqualTo("leader");
        assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("interrupted +flag");
        assertThat(names()).containsExactly("interrupted", "leader");
    }

    /** An Error in a shared batch (out of memory, say) fails every caller of it; none is left waiting. */
    @Test
    void anErrorInABatchFailsItsCallersInsteadOfLeavingThemWaiting() throws Exception {
        GroupCommit<String> group = new GroupCommit<>(jdbi, 64, e -> false);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> leader = blockedLeader(group, release);
        Set<Handle> handles = ConcurrentHashMap.newKeySet();
        Future<String> first = pool.submit(() -> group.run(handle -> {
            throw new StackOverflowError("deep");
        }, () -> "alone"));
        awaitQueued(group, 1);
        Future<String> second = pool.submit(() -> group.run(insert("second", handles), () -> "second alone"));
        awaitQueued(group, 2);
        release.countDown();

        assertThat(leader.get(10, TimeUnit.SECONDS)).isEqualTo("leader");
        // whichever caller led the failed batch rethrows the Error itself; the other gets an IllegalStateException
        for (Future<String> caller : List.of(first, second)) {
            assertThatThrownBy(() -> caller.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().satisfiesAnyOf(
                            e -> assertThat(e).isInstanceOf(StackOverflowError.class),
                            e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                                    .hasCauseInstanceOf(StackOverflowError.class));
        }
        assertThat(names()).containsExactly("leader");
        assertThat(group.run(insert("after", handles), () -> "after alone")).isEqualTo("after");
    }
}
