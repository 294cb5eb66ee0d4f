/**
 * Micrometer meters for a warmpool {@link dev.warmpool.api.WorkerPool}: bind a
 * {@link dev.warmpool.metrics.micrometer.WarmPoolMetrics} to a registry.
 */
module dev.warmpool.metrics.micrometer {
    // transitive: WarmPoolMetrics takes a dev.warmpool.api.WorkerPool.
    requires transitive dev.warmpool.api;
    // transitive: WarmPoolMetrics implements MeterBinder and takes Micrometer Tags. micrometer-core has no
    // module-info.class: it is an automatic module whose stable name comes from the Automatic-Module-Name
    // in its manifest (not from its file name). Micrometer is the user's own choice to add; warmpool's
    // other modules never require it.
    requires transitive micrometer.core;

    exports dev.warmpool.metrics.micrometer;
}
