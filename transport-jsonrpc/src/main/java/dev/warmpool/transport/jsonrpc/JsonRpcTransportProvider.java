package dev.warmpool.transport.jsonrpc;

import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.TransportProvider;
import java.util.Map;

/**
 * Provides the {@value JsonRpcTransport#NAME} transport to {@link java.util.ServiceLoader}, on the
 * module path ({@code provides} in the module descriptor) and the class path
 * ({@code META-INF/services}). Priority 5; always available.
 */
public final class JsonRpcTransportProvider implements TransportProvider {
    /** For {@link java.util.ServiceLoader}. */
    public JsonRpcTransportProvider() {
    }

    @Override
    public String name() {
        return JsonRpcTransport.NAME;
    }

    /**
     * @param settings see {@link JsonRpcTransport}
     * @return a new {@link JsonRpcTransport}
     * @throws IllegalArgumentException if a setting is unknown or its value is bad; the message names both
     */
    @Override
    public Transport create(Map<String, String> settings) {
        return JsonRpcTransport.fromSettings(settings);
    }
}
