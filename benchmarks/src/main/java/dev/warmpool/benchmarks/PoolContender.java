package dev.warmpool.benchmarks;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.core.WarmPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * A warm {@code jsonrpc} pool of a worker program that answers {@code echo} with its params, as a
 * user calls it: {@code submit(...).join()} on the caller's thread. One pool of 1 worker for the
 * latency and one of {@code workers} for the throughput, each started at its first measurement and
 * serving every round: a warm pool's workers have served many requests, and a JVM worker's JIT
 * needs more of them than one round's warm-up (an idle pool costs nothing meanwhile: its workers
 * and its reader threads block in reads).
 */
final class PoolContender extends Contender {
    private final List<String> command;
    private final Map<Integer, WarmPool> pools = new HashMap<>();

    /** @param command the argv of the worker */
    PoolContender(String key, String label, List<String> command) {
        super(key, label);
        this.command = List.copyOf(command);
    }

    private WarmPool pool(int workers) {
        WarmPool pool = pools.get(workers);
        if (pool == null) {
            pool = start(workers);
            pools.put(workers, pool);
        }
        return pool;
    }

    @Override
    public void close() {
        pools.values().forEach(WarmPool::close);
        pools.clear();
    }

    private WarmPool start(int workers) {
        WarmPool pool = WarmPool.start(PoolConfig.builder()
                .command(command)
                .transport("jsonrpc")
                .size(workers)
                .minSize(workers)
                .maxSize(workers)
                .scalingInterval(Duration.ZERO)
                .requestTimeout(Duration.ofSeconds(30))
                .noShutdownHook()
                .shutdownGrace(Duration.ofSeconds(5))
                .build());
        try {
            Object answer = call(pool);
            if (!PeerPayload.PARAMS.equals(answer)) {
                throw new IllegalStateException(key() + " answered " + answer + " instead of " + PeerPayload.PARAMS);
            }
            return pool;
        } catch (RuntimeException e) {
            pool.shutdown(Duration.ZERO);
            throw e;
        }
    }

    private static Object call(WarmPool pool) {
        return pool.submit(PeerPayload.METHOD, PeerPayload.PARAMS).join();
    }

    @Override
    Percentiles latency(int warmup, int timed) {
        WarmPool pool = pool(1);
        for (int i = 0; i < warmup; i++) {
            call(pool);
        }
        Histogram h = Percentiles.histogram();
        for (int i = 0; i < timed; i++) {
            long start = System.nanoTime();
            call(pool);
            Percentiles.record(h, System.nanoTime() - start);
        }
        return Percentiles.of(h);
    }

    @Override
    OptionalDouble throughput(int workers, int callers, Duration warmup, Duration measure) throws InterruptedException {
        WarmPool pool = pool(workers);
        LongAdder answered = new LongAdder();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Flags flags = new Flags();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            threads.add(Thread.ofPlatform().name(key() + "-caller-" + i).start(() -> {
                try {
                    while (!flags.stop) {
                        call(pool);
                        if (flags.counting) {
                            answered.increment();
                        }
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        Thread.sleep(warmup);
        flags.counting = true;
        long start = System.nanoTime();
        Thread.sleep(measure);
        flags.counting = false;
        long elapsed = System.nanoTime() - start;
        long count = answered.sum();
        flags.stop = true;
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(key() + " failed under load: " + failure.get().getMessage(), failure.get());
        }
        return OptionalDouble.of(count / (elapsed / 1e9));
    }

    /** What the callers look at between requests. */
    private static final class Flags {
        volatile boolean counting;
        volatile boolean stop;
    }
}
