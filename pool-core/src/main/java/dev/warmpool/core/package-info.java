/**
 * The warmpool engine. {@link dev.warmpool.core.WarmPool#start(dev.warmpool.api.PoolConfig)} starts
 * a pool; {@link dev.warmpool.core.Providers} finds transports and scaling policies by name.
 *
 * <p>Inside, {@code WarmPool} is a facade over classes named for their one job. {@code SlotTable}
 * holds the pool's one lock and what it guards (each worker's slot and its small state machine:
 * starting, idle, busy, retiring, dead; the idle set; the bounded FIFO queue); decisions are taken
 * under the lock and returned as records that the caller acts on after releasing it, so no transport
 * method, listener or future completion ever runs under the lock. {@code Dispatcher} sends a request
 * that finds an idle worker on the caller's thread, and a queued one when a worker frees up: from
 * the thread that completed its previous call if the worker promises that sending never blocks
 * ({@code Worker.callNeverBlocks()}), else from a virtual thread, so a worker's reader thread never
 * blocks writing the next request.
 * {@code StartSupervisor} starts workers, replaces those that exit, and backs off as the pure
 * {@code CrashLoop} decides. {@code Housekeeper} enforces run and queue deadlines, the cancel grace,
 * health pings, age recycling and scaling ticks on its own thread, talking to workers only through
 * {@code WorkerControl}'s threads, so that a worker stuck in a transport call delays no other
 * worker. {@code Outcomes} ends each request exactly once and counts it before its caller can see
 * it; {@code Shutdown} stops it all within a bound.
 */
@NullMarked
package dev.warmpool.core;

import org.jspecify.annotations.NullMarked;
