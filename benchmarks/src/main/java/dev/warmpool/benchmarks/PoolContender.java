package dev.warmpool.benchmarks;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.core.WarmPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * A warm {@code jsonrpc} pool of a worker program that answers {@code echo} with its params, as a
 * user calls it: {@code submit(...).join()} on the caller's thread. A fresh pool for every
 * measurement; the benchmark's own JVM stays warm across rounds.
 *
 * @param command the argv of the worker
 */
record PoolContender(String key, String label, List<String> command) implements Contender {
    PoolContender {
        command = List.copyOf(command);
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
                throw new IllegalStateException(key + " answered " + answer + " instead of " + PeerPayload.PARAMS);
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
    public Percentiles latency(int warmup, int timed) {
        try (WarmPool pool = start(1)) {
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
    }

    @Override
    public OptionalDouble throughput(int workers, int callers, Duration warmup, Duration measure)
            throws InterruptedException {
        try (WarmPool pool = start(workers)) {
            LongAdder answered = new LongAdder();
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            Flags flags = new Flags();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                threads.add(Thread.ofPlatform().name(key + "-caller-" + i).start(() -> {
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
                throw new IllegalStateException(key + " failed under load: " + failure.get().getMessage(), failure.get());
            }
            return OptionalDouble.of(count / (elapsed / 1e9));
        }
    }

    /** What the callers look at between requests. */
    private static final class Flags {
        volatile boolean counting;
        volatile boolean stop;
    }
}
