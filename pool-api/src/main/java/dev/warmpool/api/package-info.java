/**
 * The user-facing warmpool API.
 *
 * <p>A {@link dev.warmpool.api.WorkerPool} keeps warm worker processes and sends them requests
 * over their stdin/stdout; each {@code submit} returns a {@link java.util.concurrent.CompletableFuture}
 * that completes exactly once: with the worker's result, or with a {@link
 * dev.warmpool.api.WorkerPoolException} subtype that says what went wrong (rejected, timed out,
 * worker crashed, protocol violation, or an error the worker itself reported). A pool is built
 * from an immutable {@link dev.warmpool.api.PoolConfig}. The {@link dev.warmpool.api.spi.Transport},
 * {@link dev.warmpool.api.spi.Worker} and {@link dev.warmpool.api.spi.ScalingPolicy} interfaces are the
 * extension points an implementation module fills in; they are found by name through the provider
 * interfaces in {@link dev.warmpool.api.spi}.
 */
@NullMarked
package dev.warmpool.api;

import org.jspecify.annotations.NullMarked;
