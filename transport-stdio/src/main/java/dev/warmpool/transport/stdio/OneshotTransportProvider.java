package dev.warmpool.transport.stdio;

import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.TransportProvider;
import java.util.Map;

/**
 * Provides the {@code oneshot} transport ({@link OneshotTransport}) to
 * {@link java.util.ServiceLoader}. Stateless and thread-safe.
 */
public final class OneshotTransportProvider implements TransportProvider {
    /** Called by {@link java.util.ServiceLoader}. */
    public OneshotTransportProvider() {
    }

    /** @return {@value OneshotTransport#NAME} */
    @Override
    public String name() {
        return OneshotTransport.NAME;
    }

    /**
     * @throws IllegalArgumentException if a setting is unknown or its value is bad; the message names both
     */
    @Override
    public Transport create(Map<String, String> settings) {
        return new OneshotTransport(settings);
    }
}
