/**
 * The warmpool engine. {@link dev.warmpool.core.WarmPool#start(dev.warmpool.api.PoolConfig)} starts
 * a pool; {@link dev.warmpool.core.Providers} finds transports and scaling policies by name.
 *
 * <p>Inside, each worker lives in a slot with a small state machine (starting, idle, busy, retiring,
 * dead). One lock guards the slots and the bounded FIFO queue; nothing slow happens under it (no I/O,
 * no user callbacks). A request that finds an idle worker is written to it on the caller's thread; a
 * queued one is handed to a virtual thread when a worker frees up, so a worker's reader thread never
 * blocks writing the next request. A housekeeping thread enforces run and queue deadlines, the cancel
 * grace, health checks, age recycling and scaling ticks.
 */
package dev.warmpool.core;
