/**
 * warmpool's JSON-RPC 2.0 wire, shared by both ends: the pool's {@code jsonrpc} transport and the
 * worker SDK read and write every message with these classes, so the protocol is written down once.
 *
 * <ul>
 *   <li>{@link dev.warmpool.worker.wire.JsonRpcProtocol}: the protocol version, method names,
 *       environment variables, error codes and parser limits;</li>
 *   <li>{@link dev.warmpool.worker.wire.JsonRpcEncoder}: every envelope either end sends, written
 *       with Jackson's streaming API into one reusable buffer;</li>
 *   <li>{@link dev.warmpool.worker.wire.JsonRpcDecoder} and
 *       {@link dev.warmpool.worker.wire.JsonRpcMessage}: one streaming pass over a received frame,
 *       which says what the message is and what is wrong with it; a reader of responses can bind a
 *       result straight into its type ({@link dev.warmpool.worker.wire.ResultBinding});</li>
 *   <li>{@link dev.warmpool.worker.wire.ModuleAccess}: what to add to a {@code module-info.java}
 *       when Jackson cannot reach a type on the module path.</li>
 * </ul>
 * Framing (newline or {@code Content-Length}) is left to each end: the worker frames in place in
 * {@link dev.warmpool.worker.WorkerServer}, the pool with its process plumbing.
 */
@NullMarked
package dev.warmpool.worker.wire;

import org.jspecify.annotations.NullMarked;
