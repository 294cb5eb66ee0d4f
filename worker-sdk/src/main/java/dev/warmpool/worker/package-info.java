/**
 * The worker SDK: write warmpool workers in Java.
 *
 * <p>A worker is a {@code main} that registers {@link dev.warmpool.worker.RequestHandler}s with a
 * {@link dev.warmpool.worker.WorkerServer} and calls {@link dev.warmpool.worker.WorkerServer#serve()
 * serve()}; the server answers the protocol's own requests (handshake, ping, cancellation) itself,
 * runs each handler on the thread that read its request while another thread keeps reading, and
 * returns when the pool closes the worker's stdin. Handlers see their request's cancellation and
 * send progress and log notifications through a {@link dev.warmpool.worker.RequestContext}, and
 * answer with an error by throwing {@link dev.warmpool.worker.JsonRpcError} or
 * {@link dev.warmpool.worker.InvalidParamsException}.
 *
 * <p>The server is a conforming JSON-RPC 2.0 server (batches, notifications, string and number ids,
 * the standard error codes), so any JSON-RPC client can drive it, not only the pool. It needs only
 * the JDK and Jackson; the envelopes it reads and writes are those of {@link dev.warmpool.worker.wire},
 * the codec the pool's {@code jsonrpc} transport uses too.
 */
@NullMarked
package dev.warmpool.worker;

import org.jspecify.annotations.NullMarked;
