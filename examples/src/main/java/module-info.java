/**
 * Runnable warmpool examples: the README's quick start ({@code QuickStart}), the warm pool versus
 * cold start comparison ({@code WarmVsCold}), the event listener on {@code HandlerPool}
 * ({@code EventListener}) and the example Java worker written with the SDK
 * ({@code EchoWorker}). The guides' Java code is compiled here too, so that their copies cannot rot:
 * the Java worker of {@code docs/workers.md} ({@code GreeterWorker}) and the pools of
 * {@code docs/workers.md} ({@code GreeterPool}), {@code docs/handlers.md} ({@code HandlerPoolExample})
 * and {@code docs/claude.md} ({@code ClaudeHandlers}). The Python and Node example workers and their worker libraries
 * ({@code warmpool_worker.py}, {@code warmpool_worker.js}) live beside this module's sources, in
 * {@code examples/python} and {@code examples/node}.
 *
 * <p>Nothing here is an API. The examples run on the module path and on the class path alike: they
 * start their Java workers with {@link dev.warmpool.api.JavaCommand}. The scaling policy ({@code scaler-queue-depth}) and the SLF4J
 * backend are runtime dependencies, found by {@link java.util.ServiceLoader}, so they are not
 * required here.
 */
module dev.warmpool.examples {
    requires dev.warmpool.core;
    requires dev.warmpool.transport.jsonrpc;
    requires dev.warmpool.worker;
    requires dev.warmpool.handler;
    requires com.fasterxml.jackson.databind;

    exports dev.warmpool.examples;
}
