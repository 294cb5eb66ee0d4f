/**
 * The {@code claude} transport: pools of warm Claude Code CLI processes, for event handlers that
 * would otherwise start {@code claude -p …} once per event and wait about a second each time.
 *
 * <p>A worker is one {@code claude -p --input-format stream-json --output-format stream-json
 * --verbose} process. Each call becomes one user message on its stdin (the original listener's
 * {@code execute_handler} plan through a prompt template, or a plain {@code prompt}); the CLI
 * answers with JSON lines ({@code system}, {@code assistant}, …) that end with one {@code result}
 * line, which becomes a {@link dev.warmpool.transport.claude.ClaudeResult}. Between calls the
 * conversation is reset with {@code /clear} (or kept, or the worker recycled after N turns);
 * readiness and health checks are control-request round trips that cost no tokens; cancellation is
 * the CLI's {@code interrupt} control request. A warm turn costs tens of milliseconds of CLI time
 * where a cold {@code claude -p} costs close to a second.
 *
 * <p>{@link dev.warmpool.transport.claude.ClaudeTransport} describes the command, the settings and
 * the error codes; {@link dev.warmpool.transport.claude.ClaudeTransportProvider} registers it under
 * the name {@code claude}. Everything else in the package is internal.
 */
@NullMarked
package dev.warmpool.transport.claude;

import org.jspecify.annotations.NullMarked;
