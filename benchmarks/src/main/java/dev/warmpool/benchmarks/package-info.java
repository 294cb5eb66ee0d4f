/**
 * JMH benchmarks of warmpool, and the worker programs they start.
 *
 * <p>Every comparison runs on the same worker program: {@link dev.warmpool.benchmarks.JsonRpcEchoWorker}
 * (the JSON-RPC worker SDK answering {@code echo}), {@link dev.warmpool.benchmarks.LineEchoWorker}
 * (a Java program that echoes lines) or {@code cat}. Both Java workers are started from the
 * benchmarks jar itself ({@code java -cp benchmarks.jar <main>}), so a cold start, a warm pool and
 * the bare pipe floor all talk to the very same JVM program:
 * <ul>
 *   <li>{@link dev.warmpool.benchmarks.LatencyBenchmark}: the floor (a bare request and response
 *       over the pipe, no pool), the warm pool ({@code jsonrpc} with 1 or 16 workers, {@code line}
 *       with the Java echo worker and with {@code cat}), as latency distributions;</li>
 *   <li>{@link dev.warmpool.benchmarks.ColdBenchmark}: a process per request, today's approach;</li>
 *   <li>{@link dev.warmpool.benchmarks.ThroughputBenchmark}: requests per second by pool size and
 *       number of callers;</li>
 *   <li>{@link dev.warmpool.benchmarks.PathCostBenchmark}: diagnostics that split warm minus floor
 *       into its parts (reader-thread hand-off, JSON codec, transport without a pool, the SDK's
 *       per-request thread, idle processes by themselves);</li>
 *   <li>{@link dev.warmpool.benchmarks.ScaleBenchmark}: one caller, a pool of 1 or 64 {@code cat}
 *       workers; with {@link dev.warmpool.benchmarks.IdleHeap} (the heap an idle worker holds, from
 *       class histograms) and {@link dev.warmpool.benchmarks.LoadProfile} (context switches and CPU
 *       per request, by thread, under 2 workers and 8 callers), not JMH: see
 *       {@code docs/benchmarks-scale.md};</li>
 *   <li>{@link dev.warmpool.benchmarks.Quick}: the key benchmarks with short iterations, and one
 *       summary table with the ratios, in under two minutes;</li>
 *   <li>{@link dev.warmpool.benchmarks.Peers} (not JMH): warmpool with Java, Python and Node workers
 *       beside the raw pipe floors of those languages and beside the other runtimes' worker pools
 *       (Node's workerpool and piscina, Python's process pools), driven by the scripts in
 *       {@code src/main/peers}, in alternating rounds, with HdrHistogram percentiles.</li>
 * </ul>
 */
package dev.warmpool.benchmarks;
