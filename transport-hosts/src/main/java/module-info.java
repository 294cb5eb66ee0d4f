/**
 * warmpool's {@code hosts} transport: another transport's workers on several hosts (local, OpenSSH, a
 * launcher template), placed, supervised and cleaned up there.
 *
 * <p>{@code requires transitive} the API because {@code Transport} and {@code Worker} are in this
 * module's API; {@code pool-core} plainly, only for its provider discovery (the inner transport is found
 * by name as the pool finds transports).
 */
module dev.warmpool.transport.hosts {
    requires transitive dev.warmpool.api;
    requires dev.warmpool.core;
    requires org.slf4j;

    exports dev.warmpool.transport.hosts;

    provides dev.warmpool.api.spi.TransportProvider with dev.warmpool.transport.hosts.HostsTransportProvider;
}
