/**
 * The pool side of the {@code jsonrpc} transport: {@link dev.warmpool.transport.jsonrpc.JsonRpcTransport}
 * starts worker processes and returns {@link dev.warmpool.transport.jsonrpc.JsonRpcWorker}s that speak
 * JSON-RPC 2.0 to them; {@link dev.warmpool.transport.jsonrpc.JsonRpcTransportProvider} makes it
 * available by the name {@code "jsonrpc"}. The protocol's constants, parser limits and the codec
 * that reads and writes every message are the worker SDK's ({@code dev.warmpool.worker.wire},
 * module {@code dev.warmpool.worker}), shared with the worker side so they are defined once; workers
 * in Java are written with that module's {@code WorkerServer}.
 *
 * <h2>The wire protocol</h2>
 * <ol>
 *   <li><b>Framing.</b> One JSON-RPC 2.0 message (an object, or an array for a batch) per
 *       {@code "\n"}-terminated UTF-8 line; with the transport setting {@code framing=content-length}
 *       both sides use LSP {@code Content-Length} framing instead. The worker learns which from the
 *       environment variable {@code WARMPOOL_FRAMING} ({@code newline} or {@code content-length}), and
 *       the frame limit from {@code WARMPOOL_MAX_FRAME_BYTES}.</li>
 *   <li><b>Handshake.</b> The pool sends
 *       {@code {"jsonrpc":"2.0","id":1,"method":"$/initialize","params":{"protocolVersion":1,"workerId":"w-1"}}};
 *       the worker answers {@code {"protocolVersion":1,"capabilities":{"cancel":true,"ping":true},"name":"echo"}}.
 *       No work is sent before. No answer within the start timeout, another protocol version, or an
 *       exit first: the start fails and the process is killed.</li>
 *   <li><b>Requests.</b> One at a time per worker, with ids counting up. The answer is a response
 *       with {@code result} or {@code error} ({@code {code, message, data}}).</li>
 *   <li><b>Health.</b> {@code $/ping}, no params; any result means healthy.</li>
 *   <li><b>Cancellation.</b> The notification {@code $/cancelRequest} {@code {"id": <id>}}, as in LSP;
 *       the worker answers the request with error -32800 "request cancelled", or with its result if it
 *       had finished.</li>
 *   <li><b>Notifications</b> from the worker while a request runs — {@code $/progress}
 *       {@code {"id", "value"}}, {@code $/log} {@code {"id", "level", "message"}} or any other method —
 *       reach the request's {@link dev.warmpool.api.NotificationListener} as
 *       {@link dev.warmpool.api.Notification}s with plain Java params.</li>
 *   <li><b>Noise.</b> A stdout line that is not a JSON-RPC message (not JSON, or JSON without a
 *       {@code jsonrpc} member) is logged and skipped, unless the spec asks for strict output.</li>
 * </ol>
 * {@link dev.warmpool.transport.jsonrpc.JsonRpcWorker} lists what each failure becomes.
 */
@NullMarked
package dev.warmpool.transport.jsonrpc;

import org.jspecify.annotations.NullMarked;
