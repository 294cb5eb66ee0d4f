package dev.example.warmpool.scaler;

import dev.example.warmpool.scaler.LatencyTargetPolicy.Percentile;
import dev.warmpool.api.spi.PluginSettings;
import dev.warmpool.api.spi.ScalingPolicy;
import dev.warmpool.api.spi.ScalingPolicyProvider;
import java.util.List;
import java.util.Map;

/**
 * Makes {@link LatencyTargetPolicy} available as {@value #NAME}. Settings:
 * <ul>
 *   <li>{@code target-wait}: the queue wait to aim at, such as {@code 100ms} (the default), {@code 2s} or
 *       {@code PT0.5S} (any duration {@link PluginSettings#parseDuration} reads);</li>
 *   <li>{@code percentile}: {@code p50}, {@code p90}, {@code p99} (the default) or {@code p999};</li>
 *   <li>{@code idle-fraction}: shrink while more than this fraction of the workers are idle, from
 *       {@code 0} to {@code 1} ({@code 0.5} by default).</li>
 * </ul>
 *
 * <p>The settings are read with pool-api's {@link PluginSettings}, so a bad one is reported the way
 * warmpool reports its own: "latency-target scaling setting percentile is 'p95', but must be one of p50,
 * p90, p99, p999".
 *
 * <p>Found by {@link java.util.ServiceLoader} through this module's {@code provides} clause on the module
 * path and through {@code META-INF/services} on the class path. Stateless and thread-safe.
 */
public final class LatencyTargetPolicyProvider implements ScalingPolicyProvider {
    /** The name a configuration selects this policy by. */
    public static final String NAME = "latency-target";

    static final String TARGET_WAIT = "target-wait";
    static final String PERCENTILE = "percentile";
    static final String IDLE_FRACTION = "idle-fraction";
    private static final List<String> KNOWN = List.of(TARGET_WAIT, PERCENTILE, IDLE_FRACTION);

    /** Called by {@link java.util.ServiceLoader}. */
    public LatencyTargetPolicyProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Makes a policy from its settings.
     *
     * @param settings {@code target-wait}, {@code percentile} and {@code idle-fraction}, each optional
     * @return a policy; it is immutable, so equal settings give equal policies
     * @throws IllegalArgumentException if a setting is unknown or its value is bad; the message names the
     *     setting and echoes the value
     */
    @Override
    public ScalingPolicy create(Map<String, String> settings) {
        PluginSettings s = PluginSettings.forScalingPolicy(NAME, settings).allowOnly(KNOWN);
        LatencyTargetPolicy d = LatencyTargetPolicy.DEFAULTS;
        return new LatencyTargetPolicy(
                s.positiveDuration(TARGET_WAIT).orElse(d.targetWait()),
                s.oneOf(PERCENTILE, List.of(Percentile.values()), Percentile::settingValue).orElse(d.percentile()),
                s.decimal(IDLE_FRACTION, 0, 1).orElse(d.idleFraction()));
    }

    @Override
    public String toString() {
        return "LatencyTargetPolicyProvider[" + NAME + "]";
    }
}
