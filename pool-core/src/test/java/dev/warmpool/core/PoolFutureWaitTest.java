package dev.warmpool.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The caller's wait ({@code join()}/{@code get()} of {@link Pending.PoolFuture}): a caller waiting alone
 * spins briefly before it parks. Whether the answer comes during the spin, after the caller parked, or
 * while other callers wait, the caller sees exactly the outcome the future was completed with, and an
 * interrupt or a cancel still ends the wait.
 */
@Timeout(30)
class PoolFutureWaitTest {
    private final ScheduledExecutorService answers = Executors.newScheduledThreadPool(2);
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        answers.shutdownNow();
        callers.shutdownNow();
    }

    private static Pending<Object> pending() {
        return new Pending<>(Request.of("m", null), p -> { }, System.nanoTime());
    }

    private void answerAfter(Pending<Object> p, Object value, long micros) {
        answers.schedule(() -> p.future.complete(value), micros, TimeUnit.MICROSECONDS);
    }

    @Test
    void anAnswerDuringTheSpinOrAfterTheCallerParkedIsWhatJoinAndGetReturn() throws Exception {
        // 0 and 5 µs come while the caller spins; 2 ms and 20 ms after it parked; the long ones also make
        // later waits park at once (the back-off), which must not lose an answer either
        long[] delays = {0, 5, 2_000, 20_000, 5, 0, 20_000, 5};
        for (int i = 0; i < delays.length; i++) {
            Pending<Object> p = pending();
            answerAfter(p, "a" + i, delays[i]);
            assertEquals("a" + i, i % 2 == 0 ? p.future.join() : p.future.get());
        }
    }

    @Test
    void eightCallersWaitingAtOnceEachGetTheirOwnAnswer() throws Exception {
        List<Pending<Object>> all = new ArrayList<>();
        List<CompletableFuture<Object>> seen = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Pending<Object> p = pending();
            all.add(p);
            seen.add(CompletableFuture.supplyAsync(p.future::join, callers));
        }
        for (int i = 7; i >= 0; i--) {
            answerAfter(all.get(i), i, 100L * i);
        }
        for (int i = 0; i < 8; i++) {
            assertEquals(i, seen.get(i).get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aFailureReachesJoinAsCompletionExceptionAndGetAsExecutionException() {
        Pending<Object> p = pending();
        IllegalStateException boom = new IllegalStateException("boom");
        answers.schedule(() -> p.future.completeExceptionally(boom), 5, TimeUnit.MICROSECONDS);
        assertEquals(boom, assertThrows(CompletionException.class, p.future::join).getCause());
        ExecutionException e = assertThrows(ExecutionException.class, p.future::get);
        assertEquals(boom, e.getCause());
    }

    @Test
    void anInterruptEndsAGetThatWaitsAndACancelEndsAJoin() throws Exception {
        Pending<Object> waitedOn = pending();
        AtomicReference<Throwable> got = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                waitedOn.future.get();
            } catch (Throwable t) {
                got.set(t);
            }
        });
        // wait until it has parked (after its spin), then interrupt it
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (caller.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
        }
        caller.interrupt();
        caller.join(10_000);
        assertInstanceOf(InterruptedException.class, got.get());

        Pending<Object> cancelled = pending();
        answers.schedule(() -> cancelled.future.cancel(false), 1, TimeUnit.MILLISECONDS);
        assertThrows(CancellationException.class, cancelled.future::join);
        assertTrue(cancelled.ended(), "the cancel ended the request");
    }
}
