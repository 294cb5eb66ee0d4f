/**
 * The {@code latency-target} scaling policy, written the way a plugin author outside warmpool would
 * write one.
 *
 * <p>{@link dev.example.warmpool.scaler.LatencyTargetPolicy} is the rule: one more worker while requests
 * queue and their wait (a percentile of {@link dev.warmpool.api.PoolMetrics#queueWait()}) is above a
 * target, one fewer while the queue is empty and more than a fraction of the workers are idle.
 * {@link dev.example.warmpool.scaler.LatencyTargetPolicyProvider} makes it available by name and turns
 * name=value settings into a policy, with messages that name the setting and echo the bad value.
 */
package dev.example.warmpool.scaler;
