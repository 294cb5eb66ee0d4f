/**
 * Publishes a warmpool pool to Micrometer, for teams that watch their services through a
 * {@code MeterRegistry} (Prometheus, OTLP, Datadog, JMX, ...).
 * {@link dev.warmpool.metrics.micrometer.WarmPoolMetrics} is a {@code MeterBinder} over the pool's
 * public {@link dev.warmpool.api.PoolMetrics} snapshot: it needs nothing from the engine's internals,
 * so it works for any {@link dev.warmpool.api.WorkerPool}, and it takes one snapshot per scrape rather
 * than one per meter. The meter names, tags and units are listed in {@code docs/metrics.md}.
 */
@NullMarked
package dev.warmpool.metrics.micrometer;

import org.jspecify.annotations.NullMarked;
