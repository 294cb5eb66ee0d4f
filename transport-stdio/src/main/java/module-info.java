/**
 * The stdio transports of warmpool: starting worker processes, framing on their pipes, stderr
 * draining and process-tree termination, the process-worker base every process transport builds
 * on, plus the {@code line} transport for unmodified programs and the {@code oneshot} (one process
 * per request) fallback.
 *
 * <p>{@code requires transitive dev.warmpool.api} because the exported types implement and return
 * its types ({@code Worker}, {@code WorkerSpec}, {@code WorkerStartException}). Jackson's streaming
 * core writes the {@code line} transport's non-string params as JSON; none of its types appear in
 * this module's API.
 */
module dev.warmpool.transport.stdio {
    requires transitive dev.warmpool.api;
    requires com.fasterxml.jackson.core;
    requires org.slf4j;

    exports dev.warmpool.transport.stdio;

    provides dev.warmpool.api.spi.TransportProvider with
            dev.warmpool.transport.stdio.LineTransportProvider,
            dev.warmpool.transport.stdio.OneshotTransportProvider;
}
