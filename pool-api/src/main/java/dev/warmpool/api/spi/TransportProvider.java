package dev.warmpool.api.spi;

import java.util.Map;

/**
 * Makes a {@link Transport} available by name. Implementations need a public no-argument
 * constructor (or a {@code provider()} method on the module path) and are registered with
 * {@code provides dev.warmpool.api.spi.TransportProvider with ...}.
 *
 * <p>Among providers of the same name, the available one with the highest priority wins; ties go to
 * the class name that sorts first.
 */
public interface TransportProvider {
    /** {@return the name a configuration selects this transport by, e.g. {@code "jsonrpc"}} */
    String name();

    /** {@return 0..10, higher wins among providers of the same name; 5 by default} */
    default int priority() {
        return 5;
    }

    /** {@return whether this provider can work here (its dependencies are present)} */
    default boolean isAvailable() {
        return true;
    }

    /**
     * Makes a transport with these settings.
     *
     * @param settings transport-specific settings, name to value
     * @return a new transport
     * @throws IllegalArgumentException if a setting is unknown or its value is bad; the message names both
     */
    Transport create(Map<String, String> settings);
}
