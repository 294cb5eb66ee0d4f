package dev.warmpool.cli;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.ProviderNotFoundException;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.WorkerPoolException;
import dev.warmpool.core.Providers;
import dev.warmpool.core.WarmPool;
import java.util.Map;
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
            throw unknownTransport(spec, e);
        } catch (WorkerPoolException | IllegalArgumentException e) {
            System.err.println(spec.qualifiedName() + ": cannot start the pool of " + String.join(" ", config.command())
                    + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * Finds a transport by name through pool-core's {@link Providers}, as the pool does: the available
     * provider of that name with the highest priority, ties broken by class name, broken providers skipped.
     *
     * @param spec the command, for messages
     * @param name the transport's name
     * @param settings the transport settings to use
     * @return a new transport
     * @throws ParameterException if no provider has that name
     */
    static Transport transport(CommandSpec spec, String name, Map<String, String> settings) {
        try {
            return Providers.transport(name, settings);
        } catch (ProviderNotFoundException e) {
            throw unknownTransport(spec, e);
        }
    }

    /**
     * Turns a transport nobody provides into a usage error of {@code --transport}.
     *
     * @param spec the command, for messages
     * @param e what the lookup said
     * @return the usage error
     */
    static ParameterException unknownTransport(CommandSpec spec, ProviderNotFoundException e) {
        return new ParameterException(spec.commandLine(), "invalid value for option '--transport': " + e.getMessage());
    }
}
