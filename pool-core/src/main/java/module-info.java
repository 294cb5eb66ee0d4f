/**
 * The warmpool engine: worker slots, dispatch, the bounded queue, deadlines, restarts, recycling,
 * health checks, scaling and shutdown. Finds transports and scaling policies with
 * {@link java.util.ServiceLoader}.
 */
module dev.warmpool.core {
    requires transitive dev.warmpool.api;
    requires org.slf4j;
    // the Flight Recorder events (JfrEvents); part of every JDK, so no dependency to add
    requires jdk.jfr;

    exports dev.warmpool.core;

    uses dev.warmpool.api.spi.TransportProvider;
    uses dev.warmpool.api.spi.ScalingPolicyProvider;

    // lets PoolConfig.Builder.build() in pool-api resolve provider names with this module's discovery
    provides dev.warmpool.api.spi.ProviderCheck with dev.warmpool.core.Providers.Check;
}
