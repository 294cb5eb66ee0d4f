/**
 * warmpool's {@code jsonrpc} transport: JSON-RPC 2.0 over a worker's stdin and stdout (Jackson), and
 * the worker-side SDK for writing workers in Java.
 *
 * <p>{@code requires transitive} the API and the stdio transport because their types
 * ({@code Worker}, {@code WorkerSpec}, {@code Framing}) appear in this module's public API, and
 * Jackson's databind because the SDK's handlers receive {@code JsonNode} parameters. No package is
 * opened: the module reads and writes JSON through trees and generators, never by reflection on its
 * own types.
 */
module dev.warmpool.transport.jsonrpc {
    requires transitive dev.warmpool.api;
    requires transitive dev.warmpool.transport.stdio;
    requires transitive com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports dev.warmpool.transport.jsonrpc;
    exports dev.warmpool.transport.jsonrpc.worker;

    provides dev.warmpool.api.spi.TransportProvider with dev.warmpool.transport.jsonrpc.JsonRpcTransportProvider;
}
