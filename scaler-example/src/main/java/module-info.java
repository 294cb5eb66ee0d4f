/**
 * An example of a third-party warmpool scaling policy, {@code latency-target}: grows the pool while
 * requests wait longer than a target and shrinks it while many workers are idle.
 *
 * <p>This is the whole recipe for a plugin: require the API, provide a
 * {@link dev.warmpool.api.spi.ScalingPolicyProvider}, and list the same class in
 * {@code META-INF/services/dev.warmpool.api.spi.ScalingPolicyProvider} for the class path.
 */
module dev.example.warmpool.scaler {
    // transitive: LatencyTargetPolicy implements dev.warmpool.api.spi.ScalingPolicy, so a caller needs the API too.
    requires transitive dev.warmpool.api;

    // Exported so a caller can construct LatencyTargetPolicy and pass the instance. A plugin that is only
    // ever selected by name may leave its package unexported: ServiceLoader still finds the provider.
    exports dev.example.warmpool.scaler;

    provides dev.warmpool.api.spi.ScalingPolicyProvider
            with dev.example.warmpool.scaler.LatencyTargetPolicyProvider;
}
