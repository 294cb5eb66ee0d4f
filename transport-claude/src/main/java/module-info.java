/**
 * The {@code claude} transport of warmpool: warm Claude Code CLI processes
 * ({@code claude -p --input-format stream-json --output-format stream-json --verbose}) that answer
 * one user turn per call.
 *
 * <p>{@code requires transitive dev.warmpool.api} because the exported types implement and return
 * its types ({@code Transport}, {@code Worker}, {@code TransportProvider}). The stdio module and
 * Jackson are used inside only: none of their types appear in this module's API.
 */
module dev.warmpool.transport.claude {
    requires transitive dev.warmpool.api;
    requires dev.warmpool.transport.stdio;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports dev.warmpool.transport.claude;

    provides dev.warmpool.api.spi.TransportProvider with
            dev.warmpool.transport.claude.ClaudeTransportProvider;
}
