package dev.warmpool.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.testkit.EchoWorker;
import dev.warmpool.testkit.TestWorkers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 20,000 requests from 16 threads while another thread SIGKILLs random workers: every request ends
 * exactly once (its own result, or a crash error), and afterwards no process is left.
 */
class ChaosTest {
    private static final int REQUESTS = 20_000;
    private static final int THREADS = 16;
    private static final int KILLS = 25;

    @Test
    @Timeout(240)
    void everyRequestEndsExactlyOnceWhileWorkersAreKilled() throws Exception {
        long fdsBefore = Hygiene.openFileDescriptors();
        AtomicIntegerArray outcomes = new AtomicIntegerArray(REQUESTS);
        Map<Integer, Throwable> unexpected = new ConcurrentHashMap<>();
        AtomicLong crashed = new AtomicLong();
        AtomicLong kills = new AtomicLong();
        WarmPool pool = WarmPool.start(PoolConfig.builder().command(TestWorkers.java(EchoWorker.class))
                .size(4).maxSize(4).scalingInterval(Duration.ZERO).noShutdownHook()
                .startTimeout(TestWorkers.START_TIMEOUT).build());
        try {
            run(pool, outcomes, unexpected, crashed, kills);
        } finally {
            pool.shutdown(Duration.ofSeconds(10)); // idempotent; a failed run must not leave workers to the next test
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive));
        await().atMost(Duration.ofSeconds(10)).until(() -> Hygiene.openFileDescriptors() <= fdsBefore);
        await().atMost(Duration.ofSeconds(10)).until(() -> Hygiene.poolThreads() == 0);
    }

    private static void run(WarmPool pool, AtomicIntegerArray outcomes, Map<Integer, Throwable> unexpected,
                            AtomicLong crashed, AtomicLong kills) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread killer = Thread.ofPlatform().name("chaos-killer").start(() -> {
            // Bounded: a JVM worker takes a few hundred ms to start on 2 busy cores, so killing faster
            // than that for the whole run would starve the pool instead of testing it.
            while (running.get() && kills.get() < KILLS) {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
                List<Long> pids = pool.workerPids();
                if (!pids.isEmpty()) {
                    long victim = pids.get(ThreadLocalRandom.current().nextInt(pids.size()));
                    ProcessHandle.of(victim).ifPresent(h -> {
                        if (h.destroyForcibly()) {
                            kills.incrementAndGet();
                        }
                    });
                }
            }
        });
        ExecutorService callers = Executors.newFixedThreadPool(THREADS);
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                done.add(CompletableFuture.runAsync(() -> {
                    for (int i = first; i < REQUESTS; i += THREADS) {
                        int id = i;
                        CompletableFuture<Object> f = pool.submit("echo", List.of(id));
                        f.whenComplete((v, e) -> {
                            outcomes.incrementAndGet(id);
                            if (e == null) {
                                if (!List.of(id).equals(v)) {
                                    unexpected.put(id, new AssertionError("request " + id + " got " + v));
                                }
                            } else if (e instanceof WorkerCrashedException) {
                                crashed.incrementAndGet();
                            } else {
                                unexpected.put(id, e);
                            }
                        });
                        try {
                            f.join();
                        } catch (CompletionException ignored) {
                            // counted above
                        }
                    }
                }, callers));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        } finally {
            running.set(false);
            killer.interrupt();
            killer.join();
            callers.shutdown();
        }
        for (int i = 0; i < REQUESTS; i++) {
            assertEquals(1, outcomes.get(i), "request " + i + " ended " + outcomes.get(i) + " times");
        }
        assertTrue(unexpected.isEmpty(), () -> unexpected.size() + " unexpected outcomes, e.g. " + unexpected.values().iterator().next());
        PoolMetrics m = pool.metrics();
        assertEquals(REQUESTS, m.submitted());
        assertEquals(REQUESTS, m.completed());
        assertEquals(crashed.get(), m.failed().get(PoolMetrics.Failure.CRASHED));
        assertTrue(kills.get() > 0, "the killer killed nobody");
        assertTrue(m.spawns().get(PoolMetrics.SpawnCause.CRASH) > 0, m.spawns().toString());
    }
}
