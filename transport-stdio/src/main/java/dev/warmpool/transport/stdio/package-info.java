/**
 * Worker processes spoken to over their stdin and stdout.
 *
 * <p>{@link dev.warmpool.transport.stdio.WorkerProcess} starts a worker from an argv list (never a
 * shell) with exactly the environment of its {@link dev.warmpool.api.spi.WorkerSpec}, drains its stderr
 * into the log and a bounded tail, and stops or kills it together with everything it started: on
 * Linux the worker runs in its own process group (through {@code setsid}), so a grandchild that
 * outlives the worker and still holds its pipes is found and killed too. Where the kernel allows,
 * workers are also contained without their cooperation: a cgroup v2 per worker, an environment
 * marker, and a watchdog process that kills all of it when the JVM dies (docs/cleanup.md).
 * {@link dev.warmpool.transport.stdio.Framing} cuts the byte streams into frames, either one per
 * line or with LSP-style {@code Content-Length} headers, with a hard limit on the size of a frame
 * so a runaway worker cannot exhaust the pool's memory.
 *
 * <p>{@link dev.warmpool.transport.stdio.ProcessWorker} is the base of every transport that keeps
 * one worker process: it owns the reader thread, a write path that never blocks the caller (a
 * worker that stops reading freezes nothing), the first-failure record, one set of exit and stderr
 * timings, one wording of a crash, and one readiness wait whose start failures name the command
 * line and directory. It reaches the process through a
 * {@link dev.warmpool.transport.stdio.WorkerChannel}, which
 * {@link dev.warmpool.transport.stdio.InMemoryChannel} implements with in-memory pipes, so a
 * transport's protocol logic can be tested without a process.
 *
 * <p>On top of these sit two transports that need no cooperation from the worker program: the
 * {@code line} transport ({@link dev.warmpool.transport.stdio.LineTransport}) sends each request
 * as one line to a long-lived process such as {@code cat} or a filter script and takes the next
 * line it prints as the answer; the {@code oneshot} transport
 * ({@link dev.warmpool.transport.stdio.OneshotTransport}) starts a process per request, the way a
 * program would be run without a pool. Both are found by {@link java.util.ServiceLoader} through
 * {@link dev.warmpool.api.spi.TransportProvider} under the names {@code "line"} and
 * {@code "oneshot"}. The JSON-RPC and Claude transports build on {@code ProcessWorker} and {@code Framing}.
 */
@NullMarked
package dev.warmpool.transport.stdio;

import org.jspecify.annotations.NullMarked;
