/**
 * warmpool's runnable examples. {@link dev.warmpool.examples.QuickStart} is the README's quick
 * start, compiled so it cannot rot; {@link dev.warmpool.examples.WarmVsCold} is the README's main
 * job: it sends 1,000 requests to a pool of three warm Java workers and prints how many processes
 * that took and the latency percentiles beside the time of one cold start;
 * {@link dev.warmpool.examples.EchoWorker} is the Java example worker, written with the worker SDK
 * ({@code dev.warmpool.worker}), and the twin of {@code examples/python/worker.py}
 * and {@code examples/node/worker.js}: all three answer {@code echo}, {@code upper} and a cancellable
 * {@code slow} the same way.
 */
package dev.warmpool.examples;
