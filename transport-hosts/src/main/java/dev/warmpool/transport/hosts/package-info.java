/**
 * The {@code hosts} transport: places the workers of any other transport on several machines — this
 * one, OpenSSH hosts, or containers and pods through a launcher template ({@code docker exec -i},
 * {@code kubectl exec -i}) — spreads them by count, weight and per-host maximum, leaves a host out with
 * backoff while its starts fail, and ends remote workers on their host when the pool closes or its JVM
 * dies, through a POSIX {@code sh} wrapper passed as an argument (nothing is installed remotely). Use
 * {@link dev.warmpool.transport.hosts.HostsTransport#wrap} with an instance, or the transport name
 * {@code hosts} with the setting {@code inner}; {@code docs/hosts.md} has the recipes and guarantees.
 */
@NullMarked
package dev.warmpool.transport.hosts;

import org.jspecify.annotations.NullMarked;
