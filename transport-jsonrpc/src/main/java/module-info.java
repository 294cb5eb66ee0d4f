/**
 * warmpool's {@code jsonrpc} transport: JSON-RPC 2.0 over a worker's stdin and stdout.
 *
 * <p>{@code requires transitive} the API and the stdio transport because their types
 * ({@code Worker}, {@code WorkerSpec}, {@code Framing}) appear in this module's public API, and
 * Jackson's databind because the transport's builder takes an {@code ObjectMapper}. The worker SDK
 * ({@code dev.warmpool.worker}) is required for the codec both ends share; none of its types is in
 * this module's API, so a pool that never writes a Java worker does not read it. No package is
 * opened: the module reads and writes JSON through parsers, trees and generators, never by
 * reflection on its own types.
 */
module dev.warmpool.transport.jsonrpc {
    requires transitive dev.warmpool.api;
    requires transitive dev.warmpool.transport.stdio;
    requires transitive com.fasterxml.jackson.databind;
    requires dev.warmpool.worker;
    requires org.slf4j;

    exports dev.warmpool.transport.jsonrpc;

    provides dev.warmpool.api.spi.TransportProvider with dev.warmpool.transport.jsonrpc.JsonRpcTransportProvider;
}
