package dev.warmpool.transport.stdio;

import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.api.WorkerStartException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code line} transport: talks to unmodified line-oriented programs such as {@code cat},
 * {@code python3 -u filter.py} or {@code jq --unbuffered -c .}, which read a line from stdin and
 * print a line to stdout.
 *
 * <p>Each call sends its {@code params} as one UTF-8 line (a {@code String} as it is, anything else
 * through {@link String#valueOf(Object)}, {@code null} as an empty line) and the next line the
 * worker prints is the result, a {@code String}. The call's {@code method} is ignored. A call
 * fails with {@link ProtocolException}, and nothing is sent, when its params contain a line break,
 * its line is longer than {@code maxFrameBytes}, or its result type cannot hold a {@code String}.
 * The program must flush its stdout after each line (Python: {@code -u}).
 *
 * <p>A worker is ready once its process started and is alive; with the setting
 * {@value #READY_LINE_SETTING}{@code =TEXT} it is ready when it prints a line equal to {@code TEXT}
 * within the start timeout (other lines before it are skipped, or are a protocol error under
 * {@code strictOutput}). A worker that exits or closes its stdout during a call fails the call with
 * {@link WorkerCrashedException} (an exit with status 0 too); a line longer than
 * {@code maxFrameBytes} fails it with {@link ProtocolException}; either way the worker is no longer
 * {@linkplain Worker#isUsable() usable}. Workers cannot be asked to cancel.
 *
 * <p>Threads: a call's line is written on the caller's thread, which blocks while the worker's stdin
 * pipe is full; one daemon thread per worker reads its stdout and completes the calls' futures, so
 * actions chained to them without an executor run on that thread and must not block.
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
     *     half-started worker is then killed)
     */
    @Override
    public Worker start(WorkerSpec spec) {
        Objects.requireNonNull(spec, "spec");
        WorkerSpec s = Settings.merge(NAME, settings, spec, KNOWN);
        String readyLine;
        try {
            readyLine = check(s.settings()).get(READY_LINE_SETTING);
        } catch (IllegalArgumentException e) {
            throw new WorkerStartException("cannot start worker " + spec.id() + ": " + e.getMessage(), List.of(), e);
        }
        WorkerProcess process = WorkerProcess.start(s);
        LineWorker worker = new LineWorker(process, s, readyLine);
        worker.start();
        String prefix = "cannot start worker " + spec.id() + ": ";
        try {
            worker.ready.get(s.startTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            process.kill();
            throw new WorkerStartException(prefix + "it did not print its ready line '" + readyLine + "' within "
                    + Settings.format(s.startTimeout()) + " (startTimeout)", process.stderrTail(), e);
        } catch (InterruptedException e) {
            process.kill();
            Thread.currentThread().interrupt();
            throw new WorkerStartException(prefix + "interrupted while waiting for it to become ready",
                    process.stderrTail(), e);
        } catch (ExecutionException e) {
            process.kill();
            Throwable c = e.getCause();
            String why = c instanceof WorkerCrashedException crash
                    ? "it " + (crash.exitCode() >= 0 ? "exited" + exitText(crash.exitCode()) : "closed its stdout")
                            + " before it printed its ready line '" + readyLine + "'"
                    : c.getMessage();
            throw new WorkerStartException(prefix + why, process.stderrTail(), c);
        }
        if (readyLine == null && !process.isAlive()) {
            int code = process.onExit().join();
            try {
                process.awaitStderrClosed(Duration.ofMillis(200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new WorkerStartException(prefix + "it exited at once" + exitText(code), process.stderrTail(), null);
        }
        return worker;
    }

    private static String exitText(int code) {
        return code > 128 && code < 128 + 65 ? " (killed by signal " + (code - 128) + ")" : " (exit code " + code + ")";
    }

    @Override
    public String toString() {
        return "LineTransport" + settings;
    }
}
