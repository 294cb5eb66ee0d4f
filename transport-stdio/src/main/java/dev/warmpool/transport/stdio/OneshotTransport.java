package dev.warmpool.transport.stdio;

import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.api.WorkerStartException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code oneshot} transport: one process per call, behind the same {@link Worker} API as the
 * warm transports. It is the fallback for programs that cannot stay warm, and the baseline a warm
 * pool is measured against.
 *
 * <p>Each call starts {@code spec.command()}, writes its {@code params} to stdin as one line (the
 * same rules as {@link LineTransport}: a {@code String} as it is, {@code null} as an empty line,
 * anything else as compact JSON, no embedded line breaks; a call that breaks them fails with
 * {@link IllegalArgumentException}), closes stdin, reads all of stdout as the result (one trailing
 * newline stripped; more than {@code maxFrameBytes} is a {@link ProtocolException}) and waits for
 * the process to exit. A non-zero exit status fails the call with {@link WorkerCrashedException},
 * with the exit code and the stderr tail. Anything the process left running in its process group
 * is killed when it exits, and so is a leftover that still holds stdout
 * {@link ProcessWorker#AFTER_EXIT_GRACE} after the exit.
 *
 * <p>The {@link Worker} it starts is a recipe, not a process: {@link Worker#pid()} is empty,
 * {@link Worker#ping()} succeeds and {@link Worker#isUsable()} is {@code true} until it is stopped
 * or killed; {@link Worker#stop(java.time.Duration)} and {@link Worker#kill()} end any call's
 * process still running. Starting one checks that the program exists but starts nothing. If a
 * call's process cannot be started after all (the program was removed since), the call fails with
 * that {@link WorkerStartException} and the recipe reports itself unusable, so the pool replaces it
 * and sees the start failure itself.
 *
 * <p>Settings: {@value WorkerProcess#PROCESS_GROUP_SETTING} ({@code true}/{@code false}, see
 * {@link WorkerProcess}). Thread-safe.
 */
public final class OneshotTransport implements Transport {
    /** The provider name, {@code "oneshot"}. */
    public static final String NAME = "oneshot";

    private static final Set<String> KNOWN = Set.of(WorkerProcess.PROCESS_GROUP_SETTING);

    private final Map<String, String> settings;

    /** A oneshot transport with default settings. */
    public OneshotTransport() {
        this(Map.of());
    }

    /**
     * Creates a oneshot transport whose settings hold for every worker whose spec does not set them itself.
     *
     * @param settings defaults for the setting {@value WorkerProcess#PROCESS_GROUP_SETTING}
     * @throws IllegalArgumentException if a setting is unknown or its value is bad; the message names both
     */
    public OneshotTransport(Map<String, String> settings) {
        this.settings = Settings.check(NAME, settings, KNOWN);
    }

    /** @return {@value #NAME} */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * Checks that the program exists and returns the recipe; starts no process.
     *
     * @throws WorkerStartException if the working directory does not exist or the program is not
     *     found or not executable
     */
    @Override
    public Worker start(WorkerSpec spec) {
        Objects.requireNonNull(spec, "spec");
        WorkerSpec s = Settings.merge(NAME, settings, spec, KNOWN);
        WorkerProcess.checkStartable(s);
        return new OneshotWorker(s);
    }

    @Override
    public String toString() {
        return "OneshotTransport" + settings;
    }
}
