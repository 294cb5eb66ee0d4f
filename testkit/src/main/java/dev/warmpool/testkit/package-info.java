/**
 * Worker programs for tests and the helpers to start them.
 *
 * <p>{@link dev.warmpool.testkit.EchoWorker} is a well-behaved JSON-RPC worker (echo, sleep with
 * cancellation, errors, notifications, exit on request); {@link dev.warmpool.testkit.BadWorker}
 * misbehaves in one chosen way (crashes, hangs, garbage, oversize and truncated frames, a stderr
 * flood, a grandchild that holds stdout...). {@link dev.warmpool.testkit.TestWorkers} builds the argv
 * and {@link dev.warmpool.api.spi.WorkerSpec} to start them as real processes with the current JVM and
 * class path; {@link dev.warmpool.testkit.ProcessAudit} lets a test check that no process was left
 * behind.
 */
@NullMarked
package dev.warmpool.testkit;

import org.jspecify.annotations.NullMarked;
