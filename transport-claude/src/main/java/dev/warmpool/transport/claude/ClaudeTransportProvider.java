package dev.warmpool.transport.claude;

import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.TransportProvider;
import java.util.Map;

/**
 * Provides the {@value ClaudeTransport#NAME} transport: warm Claude Code CLI workers. Registered for
 * {@link java.util.ServiceLoader} in both {@code module-info} and {@code META-INF/services}.
 *
 * <p>Always available: whether the {@code claude} program exists is only known from the pool's
 * command, so it is checked when a worker starts, which fails with a
 * {@link dev.warmpool.api.WorkerStartException} that says how to install it.
 */
public final class ClaudeTransportProvider implements TransportProvider {
    /** For {@link java.util.ServiceLoader}. */
    public ClaudeTransportProvider() {
    }

    @Override
    public String name() {
        return ClaudeTransport.NAME;
    }

    /**
     * @param settings {@code prompt-template}, {@code reset}, {@code ready}, {@code processGroup}: see {@link ClaudeTransport}
     * @return a new transport
     * @throws IllegalArgumentException if a setting is unknown or its value is bad; the message names both
     */
    @Override
    public Transport create(Map<String, String> settings) {
        return new ClaudeTransport(settings);
    }
}
