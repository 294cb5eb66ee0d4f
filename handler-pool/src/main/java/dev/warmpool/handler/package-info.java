/**
 * Warm Claude Code handlers for an event listener. {@link dev.warmpool.handler.HandlerPool} takes an
 * event for a handler (a slash command in the project's {@code .claude/commands}) and answers it with
 * one {@link dev.warmpool.handler.HandlerResult}: {@code success}, {@code output}, the {@code stderr}
 * this event's turn wrote, its cost and duration, and a typed {@code failure}; a failing handler is a
 * result, never an exception. Under it is a {@code WarmPool} of Claude Code CLIs set up the way the
 * plan asked: the settings from {@code HANDLER_POOL_SIZE}, {@code HANDLER_POOL_MIN},
 * {@code HANDLER_POOL_MAX}, {@code HANDLER_REQUEST_TIMEOUT} and {@code HANDLER_MAX_REQUESTS},
 * least-recently-used dispatch, queue-depth scaling every 30 s, and recycling with jitter.
 * {@code HANDLER_POOL_MODE} chooses between that pool ({@code pool}), one cold {@code claude -p} per
 * event ({@code spawn}), and the pool with a fallback to cold runs while its workers cannot be kept up
 * ({@code auto}, the default).
 */
@NullMarked
package dev.warmpool.handler;

import org.jspecify.annotations.NullMarked;
