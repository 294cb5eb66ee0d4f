package dev.warmpool.examples;

import dev.warmpool.api.JavaCommand;
import dev.warmpool.api.LatencySummary;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.core.WarmPool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The README's main job: what a warm pool saves over a process per request.
 *
 * <p>Starts a pool of {@value #WORKERS} Java workers ({@link EchoWorker}) over JSON-RPC, sends it
 * 1,000 requests (or as many as the first argument says) from {@value #THREADS} threads, checks every
 * result against its own request, and prints how many processes that took, the latency percentiles
 * measured by the callers (and the workers' run time from the pool's metrics) and the throughput.
 * Beside them it prints the time of one cold start — the same worker started as a fresh process
 * for a single request (start, handshake, one request, end of input, exit), as a program that starts
 * a handler per event pays every time — the median of {@value #COLD_RUNS} runs, and the ratio of
 * cold start to warm median.
 *
 * <p>Run it with {@code ./mvnw -B -q install -DskipTests && ./mvnw -B -q -pl examples exec:exec}
 * (add {@code -Dwarmpool.requests=10000} for more requests). It starts its workers with
 * {@code java -cp ${java.class.path}}, so it must run in a JVM whose class path holds this module
 * and its dependencies, as {@code exec:exec} arranges.
 */
public final class WarmVsCold {
    /** Workers in the pool. */
    static final int WORKERS = 3;
    /** Threads that send requests at once. */
    static final int THREADS = 8;
    /** Cold starts measured; the median is shown. */
    static final int COLD_RUNS = 3;
    private static final int DEFAULT_REQUESTS = 1000;

    private WarmVsCold() {
    }

    /**
     * @param args optionally the number of requests (default 1,000)
     * @throws Exception if a request fails, a result does not match its request, or a cold start fails
     */
    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0].replace("_", "").replace(",", "")) : DEFAULT_REQUESTS;
        if (requests < 1) {
            throw new IllegalArgumentException("the number of requests is " + requests + ", but must be at least 1");
        }
        List<String> command = JavaCommand.of(EchoWorker.class);
        PoolConfig config = PoolConfig.builder()
                .command(command)
                .transport("jsonrpc")
                .size(WORKERS)
                .minSize(WORKERS) // a fixed-size pool: the comparison is about warm processes, not scaling
                .maxSize(WORKERS)
                .build();

        System.out.printf(Locale.ROOT, "warm: %,d requests from %d threads to a pool of %d JSON-RPC Java workers%n",
                requests, THREADS, WORKERS);
        long[] latency = new long[0];
        long wallNanos;
        PoolMetrics metrics;
        try (WarmPool pool = WarmPool.start(config)) {
            AtomicInteger next = new AtomicInteger();
            long start = System.nanoTime();
            List<Future<long[]>> callers = new ArrayList<>();
            try (ExecutorService threads = Executors.newFixedThreadPool(THREADS)) {
                for (int t = 0; t < THREADS; t++) {
                    callers.add(threads.submit(() -> call(pool, next, requests)));
                }
            }
            wallNanos = System.nanoTime() - start;
            for (Future<long[]> f : callers) {
                long[] more = f.get(); // rethrows a failed request or a mismatched result
                long[] all = Arrays.copyOf(latency, latency.length + more.length);
                System.arraycopy(more, 0, all, latency.length, more.length);
                latency = all;
            }
            Arrays.sort(latency);
            metrics = pool.metrics();
        }
        System.out.printf(Locale.ROOT, "  processes started: %d (for %,d requests)%n", metrics.totalSpawns(), requests);
        System.out.printf(Locale.ROOT, "  every result matched its request: %,d of %,d%n", latency.length, requests);
        System.out.printf(Locale.ROOT, "  throughput: %,.0f requests/s (%,d requests in %s)%n",
                requests / (wallNanos / 1e9), requests, format(wallNanos));
        System.out.println("  latency, as the callers saw it: " + percentiles(latency));
        System.out.println("  run time, from pool.metrics():  " + percentiles(metrics.runTime()));
        System.out.println("  (" + THREADS + " callers share " + WORKERS + " workers: the callers' latency includes waiting"
                + " for a free worker, the run time does not)");

        long[] cold = new long[COLD_RUNS];
        for (int i = 0; i < COLD_RUNS; i++) {
            cold[i] = coldStart(command, config.workerEnvironment(System.getenv()), i);
        }
        long[] sorted = cold.clone();
        Arrays.sort(sorted);
        long coldMedian = sorted[COLD_RUNS / 2];
        System.out.println("cold: the same worker started as a fresh process for one request"
                + " (start + handshake + 1 request + exit)");
        System.out.println("  median of " + COLD_RUNS + ": " + format(coldMedian) + "   (runs: "
                + Arrays.stream(cold).mapToObj(WarmVsCold::format).collect(Collectors.joining(", ")) + ")");
        long warmP50 = at(latency, 50);
        System.out.printf(Locale.ROOT, "cold start / warm p50: %s%n", ratio((double) coldMedian / warmP50) + "x");
    }

    /** One caller thread: takes request numbers until all are sent, records each latency. */
    private static long[] call(WarmPool pool, AtomicInteger next, int requests) {
        long[] h = new long[requests];
        int n = 0;
        int i;
        while ((i = next.getAndIncrement()) < requests) {
            String text = "request " + i;
            long start = System.nanoTime();
            Object result = pool.submit("upper", Map.of("text", text)).join();
            h[n++] = System.nanoTime() - start;
            if (!text.toUpperCase(Locale.ROOT).equals(result)) {
                throw new IllegalStateException("request " + i + " (" + text + ") was answered with " + result);
            }
        }
        return Arrays.copyOf(h, n);
    }

    /**
     * Starts the worker as a fresh process, as a program that starts a handler per event does, and
     * measures until it has exited: start, handshake, one request, end of its input.
     *
     * @return the wall time in nanoseconds
     */
    private static long coldStart(List<String> command, Map<String, String> environment, int run)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().clear();
        pb.environment().putAll(environment);
        String text = "cold " + run;
        long start = System.nanoTime();
        Process p = pb.start();
        try {
            try (OutputStream in = p.getOutputStream()) { // closing it is the end of input: the worker answers and exits
                in.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$/initialize\","
                        + "\"params\":{\"protocolVersion\":1,\"workerId\":\"cold-" + run + "\"}}\n"
                        + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"upper\",\"params\":{\"text\":\"" + text + "\"}}\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            List<String> frames;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                frames = out.lines().toList();
            }
            int exit = p.waitFor();
            long nanos = System.nanoTime() - start;
            String expected = "\"result\":\"" + text.toUpperCase(Locale.ROOT) + "\"";
            if (exit != 0 || frames.size() != 2 || !frames.get(1).contains(expected)) {
                throw new IllegalStateException("cold start " + run + " failed: exit " + exit + ", output " + frames);
            }
            return nanos;
        } finally {
            p.destroyForcibly();
        }
    }

    /** @param sorted latencies in nanoseconds, sorted */
    private static String percentiles(long[] sorted) {
        return String.format(Locale.ROOT, "p50 %s  p90 %s  p99 %s  p99.9 %s  max %s",
                format(at(sorted, 50)), format(at(sorted, 90)), format(at(sorted, 99)), format(at(sorted, 99.9)),
                format(sorted[sorted.length - 1]));
    }

    /** The nearest-rank percentile of sorted values: exact, which a few thousand samples can afford. */
    private static long at(long[] sorted, double percentile) {
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String percentiles(LatencySummary s) {
        return String.format(Locale.ROOT, "p50 %s  p90 %s  p99 %s  p99.9 %s  max %s",
                format(s.p50()), format(s.p90()), format(s.p99()), format(s.p999()), format(s.max()));
    }

    private static String format(Duration d) {
        return format(d.toNanos());
    }

    /** Formats nanoseconds with three significant digits: "87.3 µs", "1.25 ms", "412 ms". */
    static String format(long nanos) {
        if (nanos >= 1_000_000_000L) {
            return sig(nanos / 1e9) + " s";
        }
        if (nanos >= 1_000_000L) {
            return sig(nanos / 1e6) + " ms";
        }
        return sig(nanos / 1e3) + " µs";
    }

    private static String ratio(double r) {
        return r >= 1000 ? String.format(Locale.ROOT, "%,.0f", r) : sig(r);
    }

    private static String sig(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, v >= 10 ? "%.1f" : "%.2f", v);
    }
}
