package dev.warmpool.scaler.queuedepth;

import dev.warmpool.api.spi.ScalingPolicy;
import dev.warmpool.api.spi.ScalingPolicyProvider;
import java.util.Map;

/**
 * Makes {@link QueueDepthPolicy} available as {@value #NAME}, warmpool's default scaling policy. The
 * settings are those of {@link QueueDepthPolicy#fromSettings(Map)}.
 *
 * <p>Registered with {@code provides} in this module's descriptor and in {@code META-INF/services}; found
 * by the pool with {@link java.util.ServiceLoader}. Always available, priority 5. Thread-safe (stateless);
 * each {@link #create} returns a new policy.
 */
public final class QueueDepthPolicyProvider implements ScalingPolicyProvider {
    /** The name a configuration selects this policy by. */
    public static final String NAME = "queue-depth";

    /** Called by {@link java.util.ServiceLoader}. */
    public QueueDepthPolicyProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ScalingPolicy create(Map<String, String> settings) {
        return QueueDepthPolicy.fromSettings(settings);
    }

    @Override
    public String toString() {
        return "QueueDepthPolicyProvider[" + NAME + "]";
    }
}
