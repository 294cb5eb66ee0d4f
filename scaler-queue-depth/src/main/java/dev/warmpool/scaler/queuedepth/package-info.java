/**
 * The {@code queue-depth} scaling policy, warmpool's default.
 *
 * <p>With no settings it is the rule warmpool started with: a queue deeper than 10 adds one worker, an
 * empty queue retires one idle worker, anything else keeps the size. Settings borrowed from Kubernetes'
 * Horizontal Pod Autoscaler and KEDA make it a {@code proportional} policy (one worker per
 * {@code target-per-worker} queued requests), cap how far one tick may move ({@code max-step}), and hold
 * a scale-down until the load has stayed low for a while ({@code scale-down-stabilization}), so a load
 * that comes and goes does not start and stop workers at every tick.
 *
 * <p>{@link dev.warmpool.scaler.queuedepth.QueueDepthPolicyProvider} makes the policy available by the
 * name {@code "queue-depth"}; {@link dev.warmpool.scaler.queuedepth.QueueDepthPolicy#builder()} builds
 * one directly.
 */
@NullMarked
package dev.warmpool.scaler.queuedepth;

import org.jspecify.annotations.NullMarked;
