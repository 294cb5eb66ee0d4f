/**
 * The {@code queue-depth} scaling policy: grows the pool when requests queue up and shrinks it when
 * the queue is empty, with the knobs Kubernetes' HPA and KEDA use (proportional targets, a rate
 * limit per tick, a scale-down stabilization window).
 *
 * <p>Found by name through {@link dev.warmpool.api.spi.ScalingPolicyProvider}; the package is
 * exported as well so a caller can build a {@link dev.warmpool.scaler.queuedepth.QueueDepthPolicy}
 * and pass the instance.
 */
module dev.warmpool.scaler.queuedepth {
    // transitive: QueueDepthPolicy implements dev.warmpool.api.spi.ScalingPolicy, so a caller needs the API too.
    requires transitive dev.warmpool.api;

    exports dev.warmpool.scaler.queuedepth;

    provides dev.warmpool.api.spi.ScalingPolicyProvider
            with dev.warmpool.scaler.queuedepth.QueueDepthPolicyProvider;
}
