package dev.warmpool.api.spi;

import java.util.Map;

/**
 * Makes a {@link ScalingPolicy} available by name. Registered with
 * {@code provides dev.warmpool.api.spi.ScalingPolicyProvider with ...} in the provider's
 * {@code module-info.java} and in {@code META-INF/services}.
 *
 * <p>Among providers of the same name, the available one with the highest priority wins; ties go to
 * the class name that sorts first.
 */
public interface ScalingPolicyProvider {
    /** {@return the name a configuration selects this policy by, e.g. {@code "queue-depth"}} */
    String name();

    /** {@return 0..10, higher wins among providers of the same name; 5 by default} */
    default int priority() {
        return 5;
    }

    /** {@return whether this provider can work here} */
    default boolean isAvailable() {
        return true;
    }

    /**
     * Makes a policy with these settings; each pool gets its own.
     *
     * @param settings policy-specific settings, name to value
     * @return a new policy; each pool gets its own instance
     * @throws IllegalArgumentException if a setting is unknown or its value is bad; the message names both
     */
    ScalingPolicy create(Map<String, String> settings);
}
