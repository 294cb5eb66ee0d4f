/**
 * warmpool's handler pool: the original event listener's plan in one module. Events go to warm
 * Claude Code CLIs (pool-core, the {@code claude} transport, {@code queue-depth} scaling, recycling)
 * and come back as one {@code HandlerResult} each; {@code HANDLER_POOL_MODE} switches to one cold
 * {@code claude -p} per event, or falls back to it while warm workers cannot be kept up.
 *
 * <p>{@code requires transitive dev.warmpool.api} because the exported types show its types
 * ({@code PoolConfig}, {@code PoolMetrics}, {@code HealthReport.WorkerHealth}). The engine, the
 * transport, the scaler and Jackson are used inside only.
 */
module dev.warmpool.handler {
    requires transitive dev.warmpool.api;
    requires dev.warmpool.core;
    requires dev.warmpool.transport.claude;
    requires dev.warmpool.scaler.queuedepth;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports dev.warmpool.handler;
}
