/**
 * Micrometer meters for a warmpool {@link dev.warmpool.api.WorkerPool}: bind a
 * {@link dev.warmpool.metrics.micrometer.WarmPoolMetrics} to a registry.
 */
// micrometer-core has no module-info.class: it is an automatic module whose stable name comes from the
// Automatic-Module-Name in its manifest (not from its file name; ModuleDescriptorTest checks both). It must
// be required transitively all the same, because WarmPoolMetrics implements its MeterBinder, so javac's
// requires-automatic warnings are answered here rather than fixed. Micrometer is the user's own
// choice to add: no other warmpool module requires it.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.warmpool.metrics.micrometer {
    // transitive: WarmPoolMetrics takes a dev.warmpool.api.WorkerPool.
    requires transitive dev.warmpool.api;
    // transitive: WarmPoolMetrics implements MeterBinder and takes Micrometer Tags.
    requires transitive micrometer.core;

    exports dev.warmpool.metrics.micrometer;
}
