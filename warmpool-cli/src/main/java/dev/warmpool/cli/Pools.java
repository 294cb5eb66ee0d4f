package dev.warmpool.cli;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.ProviderNotFoundException;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.WorkerPoolException;
import dev.warmpool.api.spi.TransportProvider;
import dev.warmpool.core.WarmPool;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Starting pools and transports for the commands, with their failures told the command's way. */
final class Pools {
    private Pools() {
    }

    /**
     * Starts a pool. A transport nobody provides is a usage error; a pool that cannot start any
     * worker is reported on stderr.
     *
     * @param spec the command, for messages
     * @param config the configuration
     * @return the pool, or {@code null} if it could not start (the reason is on stderr)
     * @throws ParameterException if the transport is unknown
     */
    static WarmPool start(CommandSpec spec, PoolConfig config) {
        try {
            return WarmPool.start(config);
        } catch (ProviderNotFoundException e) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--transport': " + e.getMessage());
        } catch (WorkerPoolException | IllegalArgumentException e) {
            System.err.println(spec.qualifiedName() + ": cannot start the pool of " + String.join(" ", config.command())
                    + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * Finds a transport by name, as the pool does: the available provider of that name with the
     * highest priority, ties broken by class name.
     *
     * @param spec the command, for messages
     * @param name the transport's name
     * @param config the configuration whose transport settings to use
     * @return a new transport
     * @throws ParameterException if no provider has that name
     */
    static Transport transport(CommandSpec spec, String name, PoolConfig config) {
        List<TransportProvider> found = ServiceLoader.load(TransportProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(TransportProvider::isAvailable)
                .toList();
        return found.stream()
                .filter(p -> p.name().equals(name))
                .max(Comparator.comparingInt(TransportProvider::priority)
                        .thenComparing(p -> p.getClass().getName(), Comparator.reverseOrder()))
                .map(p -> p.create(config.transportSettings()))
                .orElseThrow(() -> new ParameterException(spec.commandLine(), "invalid value for option '--transport': "
                        + new ProviderNotFoundException("transport", name,
                                List.copyOf(new TreeSet<>(found.stream().map(TransportProvider::name).toList())),
                                "The warmpool jar has jsonrpc, line and oneshot.").getMessage()));
    }
}
