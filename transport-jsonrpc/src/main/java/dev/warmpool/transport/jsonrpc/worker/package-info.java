/**
 * The worker side of the {@code jsonrpc} transport: an SDK for writing worker programs in Java.
 *
 * <p>A worker is a {@code main} that registers {@link dev.warmpool.transport.jsonrpc.worker.RequestHandler}s
 * with a {@link dev.warmpool.transport.jsonrpc.worker.WorkerServer} and calls
 * {@link dev.warmpool.transport.jsonrpc.worker.WorkerServer#serve() serve()}; the server answers the
 * protocol's own requests (handshake, ping, cancellation) itself, runs each request on its own
 * thread, and returns when the pool closes the worker's stdin. Handlers see their request's
 * cancellation and send progress and log notifications through a
 * {@link dev.warmpool.transport.jsonrpc.worker.RequestContext}, and answer with an error by throwing
 * {@link dev.warmpool.transport.jsonrpc.worker.JsonRpcError} or
 * {@link dev.warmpool.transport.jsonrpc.worker.InvalidParamsException}.
 *
 * <p>The server is a conforming JSON-RPC 2.0 server (batches, notifications, string and number ids,
 * the standard error codes), so it can be driven by any JSON-RPC client, not only the pool.
 */
package dev.warmpool.transport.jsonrpc.worker;
