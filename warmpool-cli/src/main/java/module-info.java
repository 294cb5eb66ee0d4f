/**
 * The {@code warmpool} command: {@code run} puts a warm pool in front of any worker program and
 * answers JSON lines from stdin, {@code bench} measures a process per request against the pool,
 * and {@code demo} plays the event-listener scenario with bundled Java handler workers.
 *
 * <p>Ships as a self-contained jar ({@code warmpool-cli/target/warmpool.jar}, run by the
 * {@code ./warmpool} launcher at the repository root) and works on the module path too.
 */
module dev.warmpool.cli {
    requires dev.warmpool.core;
    // the demo's handler worker is written with the worker SDK; the line and oneshot transports
    // (dev.warmpool.transport.stdio) and the queue-depth scaler are found as services
    requires dev.warmpool.transport.jsonrpc;
    requires dev.warmpool.worker;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires HdrHistogram;

    // picocli reads and writes the @Option/@Parameters fields of the command classes by reflection.
    opens dev.warmpool.cli to info.picocli;

    // bench and demo start single workers without a pool (a process per request), so they look the
    // transport up themselves.
    uses dev.warmpool.api.spi.TransportProvider;
}
