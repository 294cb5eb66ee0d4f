package dev.warmpool.transport.stdio;

import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.api.WorkerStartException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code line} transport: talks to unmodified line-oriented programs such as {@code cat},
 * {@code python3 -u filter.py} or {@code jq --unbuffered -c .}, which read a line from stdin and
 * print exactly one line to stdout for it.
 *
 * <p>Each call sends its {@code params} as one UTF-8 line: a {@code String} as it is, {@code null}
 * as an empty line, anything else as compact JSON (a map {@code {"text":"x"}}, a list, a record, a
 * number). The next line the worker prints is the result, a {@code String}. The call's
 * {@code method} is ignored. A call fails with {@link IllegalArgumentException}, and nothing is
 * sent, when its params cannot be written as JSON or contain a line break, its line is longer than
 * {@code maxFrameBytes}, or its result type cannot hold a {@code String}. The program must flush
 * its stdout after each line (Python: {@code -u}).
 *
 * <p><b>The contract.</b> One answer line per request line. A worker that prints a line while no
 * request runs, or a line that was read before the running request's line was sent (a second
 * answer to the previous request), is retired: the running request, if any, fails with a
 * {@link ProtocolException} that names the contract, and the worker is no longer
 * {@linkplain Worker#isUsable() usable}. A stray line that arrives after the next request was sent
 * cannot be told from its answer; {@code docs/line-transport.md} says what can and cannot be
 * detected. Lines before the first request (a banner) are skipped, or are a protocol error under
 * {@code strictOutput}.
 *
 * <p>A worker is ready once its process started and is alive; with the setting
 * {@value #READY_LINE_SETTING}{@code =TEXT} it is ready when it prints a line equal to {@code TEXT}
 * within the start timeout (other lines before it are skipped, or are a protocol error under
 * {@code strictOutput}). A worker that exits or closes its stdout during a call fails the call with
 * {@link WorkerCrashedException} (an exit with status 0 too); a line longer than
 * {@code maxFrameBytes} fails it with {@link ProtocolException}; either way the worker is no longer
 * usable. Workers cannot be asked to cancel.
 *
 * <p>Threads and timings are {@link ProcessWorker}'s: a call never blocks (a line that cannot be
 * written at once goes to the worker's writer thread), and one daemon thread per worker reads its
 * stdout and completes the calls' futures, so actions chained to them without an executor run on
 * that thread and must not block.
 *
 * <p>Settings: {@value #READY_LINE_SETTING} (a banner line to wait for) and
 * {@value WorkerProcess#PROCESS_GROUP_SETTING} ({@code true}/{@code false}, see
 * {@link WorkerProcess}). Settings given to the constructor are defaults; those in
 * {@link WorkerSpec#settings()} override them.
 *
 * <p>Thread-safe: several workers may be started at once.
 */
public final class LineTransport implements Transport {
    /** The provider name, {@code "line"}. */
    public static final String NAME = "line";
    /** The setting naming a banner line the worker prints when it is ready. */
    public static final String READY_LINE_SETTING = "readyLine";

    private static final Set<String> KNOWN = Set.of(READY_LINE_SETTING, WorkerProcess.PROCESS_GROUP_SETTING);

    private final Map<String, String> settings;

    /** A line transport with default settings. */
    public LineTransport() {
        this(Map.of());
    }

    /**
     * Creates a line transport whose settings hold for every worker whose spec does not set them itself.
     *
     * @param settings defaults for the settings {@value #READY_LINE_SETTING} and
     *     {@value WorkerProcess#PROCESS_GROUP_SETTING}
     * @throws IllegalArgumentException if a setting is unknown or its value is bad; the message names both
     */
    public LineTransport(Map<String, String> settings) {
        this.settings = check(settings);
    }

    private static Map<String, String> check(Map<String, String> settings) {
        Map<String, String> s = Settings.check(NAME, settings, KNOWN);
        String ready = s.get(READY_LINE_SETTING);
        if (ready != null && (ready.isEmpty() || ready.indexOf('\n') >= 0 || ready.indexOf('\r') >= 0)) {
            throw new IllegalArgumentException("setting " + READY_LINE_SETTING + " is '" + ready
                    + "', but must be a non-empty text without line breaks");
        }
        return s;
    }

    /** @return {@value #NAME} */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * Starts the worker and, if {@value #READY_LINE_SETTING} is set, waits for its ready line.
     *
     * @throws WorkerStartException if the program cannot be started, exits at once, does not print
     *     its ready line within the start timeout, or the waiting thread is interrupted (the
     *     half-started worker is then killed); the message names the command line and directory
     */
    @Override
    public Worker start(WorkerSpec spec) {
        Objects.requireNonNull(spec, "spec");
        WorkerSpec s = Settings.merge(NAME, settings, spec, KNOWN);
        @Nullable String readyLine;
        try {
            readyLine = check(s.settings()).get(READY_LINE_SETTING);
        } catch (IllegalArgumentException e) {
            throw new WorkerStartException("cannot start worker " + spec.id() + ": " + e.getMessage(), List.of(), e);
        }
        LineWorker worker = new LineWorker(WorkerChannel.start(s), s, readyLine);
        worker.open();
        return worker;
    }

    @Override
    public String toString() {
        return "LineTransport" + settings;
    }
}
