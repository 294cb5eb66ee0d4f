/**
 * The {@code warmpool} command: {@code run} puts a warm pool in front of any worker program and
 * answers JSON lines from stdin, {@code bench} measures a process per request against the pool,
 * {@code listen} runs events through warm Claude Code handlers ({@code HandlerPool}), and
 * {@code demo} plays the event-listener scenario with bundled Java handler workers.
 *
 * <p>Ships as a self-contained jar ({@code warmpool-cli/target/warmpool.jar}, run by the
 * {@code ./warmpool} launcher at the repository root) and works on the module path too.
 */
module dev.warmpool.cli {
    requires dev.warmpool.core;
    // the demo's handler worker is written with the worker SDK; the line and oneshot transports
    // (dev.warmpool.transport.stdio), the claude transport, the hosts transport (--host, WARMPOOL_HOSTS;
    // dev.warmpool.transport.hosts) and the queue-depth scaler are found as services
    requires dev.warmpool.transport.jsonrpc;
    requires dev.warmpool.worker;
    // listen: HandlerPool and its loop over event lines, shared with the examples' EventListener
    requires dev.warmpool.handler;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires HdrHistogram;
    // --metrics-port serves /metrics and /health with the JDK's own HTTP server
    requires jdk.httpserver;
    // sun.misc.Signal: run drains on the first SIGINT/SIGTERM and stops at once on a second one,
    // which the JVM's shutdown hooks cannot tell apart
    requires jdk.unsupported;

    // the one exported package: the latency chart, which the benchmarks' quick mode draws too (it
    // depends on nothing but the JDK); the command's own classes stay unexported
    exports dev.warmpool.cli.plot;

    // picocli reads and writes the @Option/@Parameters fields of the command classes by reflection.
    opens dev.warmpool.cli to info.picocli;
}
