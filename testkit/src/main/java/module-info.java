/**
 * warmpool's test kit: well- and badly-behaved worker programs and helpers to start them, for the
 * tests of the other modules. A main-scope jar so other modules can put it on their test class path;
 * nothing of it ships in the pool's own jars.
 *
 * <p>{@code requires transitive} the JSON-RPC transport because the workers are built on its SDK and
 * the helpers return its API's types ({@code WorkerSpec}).
 */
module dev.warmpool.testkit {
    requires transitive dev.warmpool.transport.jsonrpc;

    exports dev.warmpool.testkit;
}
