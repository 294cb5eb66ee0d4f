package dev.warmpool.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --metrics-port} and {@code --metrics-address} for a long-running command: an HTTP endpoint
 * with {@code /metrics} (Prometheus text) and {@code /health}, so a pod can be scraped, probed and
 * scaled on queue depth.
 */
final class MetricsOptions {
    /** The address the endpoint binds to unless told otherwise: this host only. */
    static final String DEFAULT_ADDRESS = "127.0.0.1";

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve /metrics (Prometheus text: queue depth, workers by state, requests by outcome, "
                    + "spawns by cause, queue-wait and run-time summaries) and /health (200 or 503, JSON) over "
                    + "HTTP on PORT while running; 0 picks a free port (printed on stderr).")
    Integer port;

    @Option(names = "--metrics-address", paramLabel = "ADDR",
            description = "The address --metrics-port binds to (default: " + DEFAULT_ADDRESS
                    + ", this host only; 0.0.0.0 for every interface, e.g. in a container).")
    String address;

    /**
     * Starts the endpoint if {@code --metrics-port} was given.
     *
     * @param spec the command, for messages
     * @param metrics renders {@code /metrics}
     * @param health answers {@code /health}
     * @return the running server, or empty without {@code --metrics-port}
     * @throws ParameterException if the options are bad or the address cannot be bound
     */
    Optional<MetricsServer> start(CommandSpec spec, Supplier<String> metrics, Supplier<MetricsServer.Health> health) {
        if (port == null) {
            if (address != null) {
                throw new ParameterException(spec.commandLine(), "--metrics-address needs --metrics-port");
            }
            return Optional.empty();
        }
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--metrics-port': " + port
                    + ", but must be a port number from 0 to 65535 (0: any free port)");
        }
        String host = address == null ? DEFAULT_ADDRESS : address;
        InetAddress ip;
        try {
            ip = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--metrics-address': '" + host
                    + "' is not an address of this host or a name that resolves");
        }
        try {
            return Optional.of(MetricsServer.start(new InetSocketAddress(ip, port), metrics, health));
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot serve metrics on " + host + ":" + port + ": "
                    + e.getMessage() + " (choose another --metrics-port, or 0 for any free port)");
        }
    }
}
