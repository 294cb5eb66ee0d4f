package dev.warmpool.transport.claude;

import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.transport.stdio.WorkerChannel;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code claude} transport: each worker is one warm Claude Code CLI process, and each call is
 * one user turn of its conversation.
 *
 * <p><b>Command.</b> The pool's command is the CLI's argv: the program ({@code claude}, or its
 * path) followed by any options of your own ({@code --model}, {@code --permission-mode},
 * {@code --allowedTools}, {@code --max-turns}, {@code --append-system-prompt}, …). The transport
 * appends whichever of {@code -p --input-format stream-json --output-format stream-json --verbose}
 * are missing; a command that asks for another input or output format is refused. A program that is
 * not found fails {@link #start} with a {@link WorkerStartException} that says how to install it.
 * The environment is exactly the pool's (give {@code ANTHROPIC_API_KEY}, and
 * {@code ANTHROPIC_BASE_URL} for a gateway; {@code CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1},
 * {@code DISABLE_AUTOUPDATER=1} and {@code CLAUDE_CODE_MAX_RETRIES} are worth setting for a
 * service: the CLI otherwise retries a failing API for about three minutes), and the working
 * directory is the pool's: the project whose {@code .claude/commands} hold the handlers.
 *
 * <p><b>Calls.</b> Method {@code execute_handler} with params
 * {@code {"handler_name":"triage","event":{…}}} (the original event listener's plan) becomes the
 * text of the {@code prompt-template} setting, {@code /{handler} {event}} by default: the handler
 * as a slash command followed by the event as compact JSON (a missing event is {@code {}}). Method
 * {@code prompt} with params a string or {@code {"prompt":"…"}} sends that text as it is. Params
 * may be maps, lists, strings, Jackson trees or objects Jackson can serialize (on the module path,
 * such an object's package must be open to {@code com.fasterxml.jackson.databind}). The turn
 * ends with the CLI's {@code result} message, which the call returns as a {@link ClaudeResult}
 * (result type {@code ClaudeResult}), as {@link ClaudeResult#toMap(List) the map} the original
 * listener expected ({@code Object} or {@code Map}: {@code success}, {@code output},
 * {@code stderr}, {@code is_error}, {@code duration_ms}, {@code total_cost_usd},
 * {@code session_id}), or as the output text ({@code String}). While the turn runs, each
 * {@code assistant} message reaches the call's listener as a notification {@code claude/assistant}
 * and each {@code system} message other than {@code init} (such as {@code api_retry}) as
 * {@code claude/system}, the message as plain Java values.
 *
 * <p><b>Errors.</b> A turn that ends with {@code is_error} or a subtype other than {@code success}
 * (an API error after the CLI's retries, {@code error_max_turns}, …) fails the call with a
 * {@link dev.warmpool.api.WorkerErrorException}: code {@link #TURN_FAILED}, the CLI's text as the
 * message, and the result map plus {@code subtype}, {@code api_error_status} and {@code errors}
 * as data. The worker stays in the pool. A slash command the CLI does not know gives
 * {@link #METHOD_NOT_FOUND}; a cancelled turn {@link #REQUEST_CANCELLED}; bad params
 * {@link #INVALID_PARAMS}. A CLI that dies fails the call with
 * {@link dev.warmpool.api.WorkerCrashedException}; a stdout line longer than {@code maxFrameBytes}
 * with {@link dev.warmpool.api.ProtocolException} (and the CLI is killed). A stdout line that is
 * not JSON is logged and skipped, unless {@code strictOutput} is set.
 *
 * <p><b>Settings</b> (the pool's transport settings; a worker spec's own settings override them):
 * <ul>
 *   <li>{@code prompt-template}: the text of an {@code execute_handler} turn; {@code {handler}} and
 *       {@code {event}} are replaced, anything else is kept. Default {@code /{handler} {event}}.
 *   <li>{@code reset}: {@code clear} (default) sends {@code /clear} after every turn, errors
 *       included, so every event starts a fresh conversation. It is sent as soon as the result
 *       arrives, before the caller's future completes, and costs no API call; a call that comes while
 *       it runs (15–40 ms) waits for it. {@code keep} keeps one conversation for the worker's life.
 *       {@code recycle:N} keeps the conversation and reports the worker unusable after N turns, so the
 *       pool replaces it with a fresh process. (For {@code clear} plus a bounded process life, use
 *       the pool's requests-per-worker limit.)
 *   <li>{@code ready}: {@code initialize} (default) makes {@link #start} wait until the CLI answers an
 *       {@code initialize} control request, which it does once it is up (0.7–1 s after spawn): the
 *       start-up is paid before the worker joins the pool, not by its first call. {@code started}
 *       only starts the process (the CLI prints nothing before its first input, so there is nothing
 *       else to wait for); the first call then pays the CLI's start-up.
 *   <li>{@code processGroup}: handed to the process layer ({@code false}: start without {@code setsid}).
 * </ul>
 *
 * <p><b>Health and cancellation.</b> A health check is an {@code mcp_status} control request
 * round trip, about a millisecond: it proves the CLI reads and answers its input, where a test turn
 * would cost tokens and a process check would not notice a stuck CLI. {@link Worker#cancel()}
 * writes an {@code interrupt} control request; the CLI ends the turn within tens of milliseconds,
 * and if it does not, the pool kills the worker after its cancel grace.
 *
 * <p>Thread-safe: the pool may start several workers at once.
 */
public final class ClaudeTransport implements Transport {
    /** The transport's name, {@value}. */
    public static final String NAME = "claude";
    /** Error code of a turn that ended with {@code is_error} or an error subtype. */
    public static final int TURN_FAILED = -32001;
    /** Error code of a turn that was interrupted at the pool's request (JSON-RPC's request cancelled). */
    public static final int REQUEST_CANCELLED = -32800;
    /** Error code of an unknown method, or a slash command the CLI does not know. */
    public static final int METHOD_NOT_FOUND = -32601;
    /** Error code of params the transport cannot turn into a prompt. */
    public static final int INVALID_PARAMS = -32602;

    private final ClaudeSettings settings;

    /** A transport with the default settings. */
    public ClaudeTransport() {
        this(Map.of());
    }

    /**
     * A transport with the given settings; each worker spec's own settings override them.
     *
     * @param settings the settings described above, name to value
     * @throws IllegalArgumentException if a setting is unknown or its value is bad; the message names both
     */
    public ClaudeTransport(Map<String, String> settings) {
        this.settings = ClaudeSettings.parse(settings);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Starts a Claude Code CLI and, with {@code ready=initialize}, waits until it answers its
     * {@code initialize} control request.
     *
     * @throws WorkerStartException if the program is missing, the command or a setting is bad, the CLI
     *     exited or did not answer within the spec's start timeout, or the thread was interrupted
     */
    @Override
    public Worker start(WorkerSpec spec) {
        String prefix = "cannot start worker " + spec.id() + ": ";
        ClaudeSettings s;
        List<String> argv;
        try {
            s = settings.with(spec.settings());
            argv = ClaudeCommand.complete(spec.command());
        } catch (IllegalArgumentException e) {
            throw new WorkerStartException(prefix + e.getMessage(), List.of(), e);
        }
        Optional<String> missing = ClaudeCommand.missing(argv.get(0), spec.environment(), spec.directory());
        if (missing.isPresent()) {
            throw new WorkerStartException(prefix + "the Claude Code CLI " + missing.get() + ". Install it "
                    + "(npm install -g @anthropic-ai/claude-code) and make the pool's command start with its "
                    + "path, e.g. [\"/usr/local/bin/claude\", \"--model\", \"sonnet\"]", List.of(), null);
        }
        WorkerSpec processSpec = new WorkerSpec(spec.id(), argv, spec.environment(), spec.directory(),
                spec.startTimeout(), spec.maxFrameBytes(), spec.strictOutput(), spec.stderrTailLines(),
                s.passThrough());
        WorkerChannel channel = WorkerChannel.start(processSpec);
        ClaudeWorker worker;
        try {
            worker = new ClaudeWorker(channel, processSpec, s);
        } catch (RuntimeException | Error e) {
            channel.kill();
            throw new WorkerStartException(prefix + e, channel.stderrTail(), e);
        }
        worker.open(s.handshake());
        return worker;
    }

    @Override
    public String toString() {
        return "ClaudeTransport" + settings.asMap();
    }
}
