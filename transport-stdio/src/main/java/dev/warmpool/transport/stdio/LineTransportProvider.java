package dev.warmpool.transport.stdio;

import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.TransportProvider;
import java.util.Map;

/**
 * Provides the {@code line} transport ({@link LineTransport}) to {@link java.util.ServiceLoader}.
 * Stateless and thread-safe.
 */
public final class LineTransportProvider implements TransportProvider {
    /** Called by {@link java.util.ServiceLoader}. */
    public LineTransportProvider() {
    }

    /** @return {@value LineTransport#NAME} */
    @Override
    public String name() {
        return LineTransport.NAME;
    }

    /**
     * @throws IllegalArgumentException if a setting is unknown or its value is bad; the message names both
     */
    @Override
    public Transport create(Map<String, String> settings) {
        return new LineTransport(settings);
    }
}
