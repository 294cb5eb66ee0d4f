/**
 * Runnable warmpool examples: the README's quick start ({@code QuickStart}), the warm pool versus
 * cold start comparison ({@code WarmVsCold}) and the example Java worker written with the SDK
 * ({@code EchoWorker}). The Python and Node example workers live beside this module's sources, in
 * {@code examples/python} and {@code examples/node}.
 *
 * <p>Nothing here is an API. The examples run on the class path: they start their Java workers with
 * {@code java -cp ${java.class.path}}. The scaling policy ({@code scaler-queue-depth}) and the SLF4J
 * backend are runtime dependencies, found by {@link java.util.ServiceLoader}, so they are not
 * required here.
 */
module dev.warmpool.examples {
    requires dev.warmpool.core;
    requires dev.warmpool.transport.jsonrpc;
    requires dev.warmpool.worker;
    // an automatic module (no Automatic-Module-Name in its jar); pool-core requires it the same way
    requires HdrHistogram;

    exports dev.warmpool.examples;
}
