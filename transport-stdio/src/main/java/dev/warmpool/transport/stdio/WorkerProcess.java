package dev.warmpool.transport.stdio;

import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.api.WorkerStartException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.OptionalInt;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running worker process: its pipes, its stderr tail, and the means to stop it together with
 * everything it started.
 *
 * <p>{@link #start(WorkerSpec)} starts the program from the spec's argv (never through a shell)
 * with exactly the spec's environment plus one variable, {@value #MARKER_VARIABLE}, and in the
 * spec's working directory, and starts a daemon thread that drains stderr into the log
 * ({@value #STDERR_LOGGER} at DEBUG, each line prefixed with the worker id) and a bounded tail. It
 * does no handshake: what is spoken on stdin and stdout is the caller's business.
 *
 * <p><b>Process tree.</b> On Linux, when {@code setsid} is installed, the worker is started as
 * {@code setsid PROGRAM ARGS...}: {@code setsid} makes itself a new session and process group and
 * then executes the program in place (it only forks when it already leads a process group, which a
 * child of the JVM never does), so {@link #pid()} is the worker's own pid and the worker's process
 * group id equals it. {@code start} checks this: it waits until the process is seen to lead its own
 * session, and fails if {@code setsid} forked instead. {@link #kill()} and {@link #stop(Duration)}
 * then signal the worker, every descendant (a snapshot taken before the worker is signalled), and
 * every process of its process group, which catches a grandchild that was reparented when the worker
 * died but still holds the worker's stdout. The spec setting {@code processGroup=false}
 * ({@link #PROCESS_GROUP_SETTING}) starts the program directly instead.
 *
 * <p><b>Cleanup that does not depend on the worker.</b> Three more mechanisms, chosen once per JVM
 * (docs/cleanup.md has the details and the reasons):
 * <ul>
 * <li><b>cgroup v2</b>, where a writable hierarchy exists (the JVM's own delegated cgroup, else the
 *     root of a cgroup2 mount): the JVM makes one directory, {@code warmpool-TOKEN}, with a child per
 *     worker, and the worker joins its child before the program runs (through a constant
 *     {@code sh -c 'echo $$ > "$0" && exec "$@"'} launcher that takes the argv as arguments). Then
 *     {@link #kill()} and the last step of {@link #stop(Duration)} write {@code cgroup.kill}, which
 *     also ends processes that escaped with a double fork and {@code setsid}.
 * <li><b>an environment marker</b>, {@value #MARKER_VARIABLE}{@code =TOKEN.SEQ}: without a cgroup,
 *     {@code kill} and {@code stop} also signal every process whose environment carries this
 *     worker's marker (read from {@code /proc/PID/environ}), which finds escapees that kept it.
 * <li><b>a watchdog</b>: one {@code sh} process per JVM, running while the JVM has workers, that
 *     notices the JVM's death (however it dies, SIGKILL included) as end-of-file on a pipe and then
 *     kills the JVM's cgroup, every process with the JVM's marker and every worker's process group.
 * </ul>
 * What holds where: on Linux with a writable cgroup v2, every worker and every descendant is gone
 * within about 1 s of {@code kill()}, of the end of {@code stop()}'s grace periods, or of the JVM's
 * death, whatever they do (unless a root process moves itself out of the cgroup). On Linux without
 * one, the same holds for processes that stay in the worker's process group or keep the marker in
 * their environment (a process that does both setsid and clears its environment is not found). On
 * macOS and other systems without {@code /proc}: {@code kill} and {@code stop} end the worker and
 * its current descendants; after the JVM's death only workers that exit on end-of-file of stdin go.
 * The system properties {@value #CGROUP_PROPERTY} ({@code auto}, {@code false}, or the absolute
 * path of a cgroup v2 directory to use), {@value #WATCHDOG_PROPERTY} and {@value #MARKER_PROPERTY}
 * ({@code true} or {@code false}) turn the mechanisms off, read at the first start.
 *
 * <p><b>Program lookup.</b> A program name without a {@code /} is looked up on the {@code PATH} of
 * the spec's environment (the JVM's {@code PATH} if the spec has none), one with a {@code /} is
 * taken relative to the working directory; the process is started with the absolute path as its
 * {@code argv[0]}. A program that is not found gives a {@link WorkerStartException} that says so.
 *
 * <p>Thread-safe. No method blocks except the streams' reads and writes; {@link #stop(Duration)}
 * works on a thread of its own.
 */
public final class WorkerProcess {
    /**
     * The spec setting that turns process groups off: {@code processGroup=false} starts the program
     * directly, without {@code setsid}; {@code true} (the default) uses {@code setsid} where it
     * exists.
     */
    public static final String PROCESS_GROUP_SETTING = "processGroup";
    /**
     * The variable every worker gets, {@code WARMPOOL_WORKER=TOKEN.SEQ}, where {@code TOKEN} is the
     * JVM's ({@code PID-RANDOM}) and {@code SEQ} counts the JVM's workers; it replaces a value the
     * spec may have. It is how the JVM's watchdog, and {@link #kill()} without a cgroup, find a
     * worker's descendants; a program may read it but should leave it in place for its children.
     */
    public static final String MARKER_VARIABLE = Containment.MARKER;
    /** The system property that chooses cgroup v2 containment: {@code auto} (default), {@code false}, or a directory. */
    public static final String CGROUP_PROPERTY = Containment.CGROUP_PROPERTY;
    /** The system property that turns the watchdog off: {@code false} (default {@code true}). */
    public static final String WATCHDOG_PROPERTY = Containment.WATCHDOG_PROPERTY;
    /** The system property that turns the {@value #MARKER_VARIABLE} variable off: {@code false} (default {@code true}). */
    public static final String MARKER_PROPERTY = Containment.MARKER_PROPERTY;
    /** The logger every worker's stderr lines go to, at DEBUG, each prefixed with {@code [workerId]}. */
    public static final String STDERR_LOGGER = "dev.warmpool.worker.stderr";

    private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);
    /** How long {@code start} waits to see the worker lead its own session. */
    private static final long SESSION_CHECK_MILLIS = 2000;
    /** How long after its exit a reused pid may be mistaken for the worker's group (clock granularity). */
    private static final Duration GROUP_START_SLACK = Duration.ofSeconds(1);
    /** How long to wait for processes to disappear after SIGKILL before giving up on them. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private final String id;
    private final Process process;
    private final long pgid;
    private final OutputStream stdin;
    private final StderrDrainer stderr;
    private final Enclosure enclosure;
    private final CompletableFuture<Integer> exit;
    private final AtomicBoolean stdinClosed = new AtomicBoolean();
    private final AtomicReference<@Nullable CompletableFuture<Integer>> stopping = new AtomicReference<>();
    private final AtomicBoolean releasing = new AtomicBoolean();
    private volatile @Nullable Instant exitedAt;

    private WorkerProcess(String id, Process process, long pgid, StderrDrainer stderr, Enclosure enclosure) {
        this.id = id;
        this.process = process;
        this.pgid = pgid;
        this.stderr = stderr;
        this.enclosure = enclosure;
        // the JDK's stream is buffered already (8 KiB): a second buffer would cost every idle worker
        // its size and every frame a copy
        this.stdin = process.getOutputStream();
        this.exit = process.onExit().thenApply(p -> {
            exitedAt = Instant.now();
            return p.exitValue();
        });
        exit.thenRunAsync(this::releaseIfNothingLeft, r -> Thread.ofVirtual().name("warmpool-exited-" + id).start(r));
    }

    /**
     * Starts the process from {@code spec.command()} (an argv, never a shell), with exactly
     * {@code spec.environment()} and in {@code spec.directory()} if present, and starts the stderr
     * drainer. Does no handshake.
     *
     * @param spec what to start; of its settings only {@value #PROCESS_GROUP_SETTING} is read
     * @return the running process
     * @throws WorkerStartException if the directory does not exist, the program is not found or
     *     cannot be executed, e.g. "cannot start worker w-1: program 'nosuch' not found on PATH ..."
     * @throws IllegalArgumentException if {@value #PROCESS_GROUP_SETTING} is neither {@code true}
     *     nor {@code false}
     */
    public static WorkerProcess start(WorkerSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Containment containment;
        try {
            containment = Containment.system();
        } catch (IllegalArgumentException e) {
            throw new WorkerStartException("cannot start worker " + spec.id() + ": " + e.getMessage(), List.of(), e);
        }
        return start(spec, containment);
    }

    /** {@link #start(WorkerSpec)} with a given containment (tests use their own). */
    static WorkerProcess start(WorkerSpec spec, Containment containment) {
        Objects.requireNonNull(spec, "spec");
        boolean group = processGroup(spec.settings()) && Executables.SETSID.isPresent();
        String prefix = "cannot start worker " + spec.id() + ": ";
        String program = checkStartable(spec);
        List<String> argv = new ArrayList<>(spec.command().size() + 1);
        if (group) {
            argv.add(Executables.SETSID.get().toString());
        }
        argv.add(program);
        argv.addAll(spec.command().subList(1, spec.command().size()));
        Enclosure enclosure;
        try {
            enclosure = containment.enclose(argv, spec.environment());
        } catch (IllegalStateException e) {
            throw new WorkerStartException(prefix + e.getMessage(), List.of(), e);
        }
        ProcessBuilder pb = new ProcessBuilder(enclosure.argv());
        pb.environment().clear();
        pb.environment().putAll(enclosure.environment());
        spec.directory().ifPresent(d -> pb.directory(d.toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            enclosure.release();
            throw new WorkerStartException(Exits.startMessage(spec, prefix + "program '" + program
                    + "' could not be executed: " + e.getMessage()), List.of(), e);
        }
        StderrDrainer drainer = new StderrDrainer(spec.id(), p.getErrorStream(), spec.stderrTailLines());
        drainer.start();
        long pgid = -1;
        try {
            if (group) {
                pgid = checkOwnSession(spec.id(), p, prefix, drainer);
            }
            enclosure.started(pgid);
        } catch (RuntimeException | Error e) {
            p.destroyForcibly();
            enclosure.killAll();
            enclosure.release();
            throw e;
        }
        WorkerProcess wp = new WorkerProcess(spec.id(), p, pgid, drainer, enclosure);
        LOG.debug("started worker {} (pid {}{}, {}): {}", spec.id(), p.pid(),
                pgid > 0 ? ", own process group" : "", enclosure, spec.command());
        return wp;
    }

    /**
     * Waits until {@code setsid} has made the process lead its own session, which proves it did
     * not fork (a forked {@code setsid} exits at once and its parent never leads a session).
     *
     * @return the process group id to kill by, or -1 if the group could not be confirmed
     */
    private static long checkOwnSession(String id, Process p, String prefix, StderrDrainer drainer) {
        long pid = p.pid();
        long deadline = System.nanoTime() + SESSION_CHECK_MILLIS * 1_000_000L;
        int spins = 0;
        while (true) {
            Optional<ProcessTree.Stat> st = ProcessTree.stat(pid);
            if (st.isPresent() && st.get().session() == pid) {
                return pid;
            }
            if (st.isEmpty() || st.get().isZombie() || !p.isAlive()) {
                // exited before it could be seen: too fast to tell; the group id is still the
                // right one to search for leftovers if setsid ran
                return pid;
            }
            if (spins > 50 && spins % 10 == 0 && p.children().findAny().isPresent()) {
                Optional<ProcessTree.Stat> again = ProcessTree.stat(pid);
                if (again.isPresent() && again.get().session() == pid) {
                    return pid;
                }
                if (again.isPresent() && !again.get().isZombie()) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    throw new WorkerStartException(prefix + "setsid forked instead of running the program in "
                            + "place, so the worker's pid is unknown; set " + PROCESS_GROUP_SETTING
                            + "=false to start it without setsid", drainer.tail(), null);
                }
            }
            if (System.nanoTime() - deadline > 0) {
                LOG.warn("worker {} (pid {}) was not seen to lead its own session within {} ms; its process "
                        + "group will not be searched when it is killed", id, pid, SESSION_CHECK_MILLIS);
                return -1;
            }
            if (++spins <= 50) {
                Thread.onSpinWait();
            } else {
                try {
                    Thread.sleep(0, 100_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new WorkerStartException(prefix + "interrupted while starting", drainer.tail(), e);
                }
            }
        }
    }

    static boolean processGroup(Map<String, String> settings) {
        String v = settings.get(PROCESS_GROUP_SETTING);
        if (v == null) {
            return true;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("transport setting " + PROCESS_GROUP_SETTING + " is '"
                    + v + "', but must be true or false");
        };
    }

    /** @see Executables#checkStartable(WorkerSpec) */
    static String checkStartable(WorkerSpec spec) {
        return Executables.checkStartable(spec);
    }

    /** {@return the worker id from the spec, e.g. {@code "w-1"}} */
    public String id() {
        return id;
    }

    /** {@return the worker's own operating-system process id} */
    public long pid() {
        return process.pid();
    }

    /**
     * Gives the pipe to the worker's stdin, for the one thread (or {@link FrameWriter}) that writes to it.
     *
     * @return the worker's stdin, buffered by the JDK (8 KiB): callers flush. Not synchronized: one writer at a time,
     *     or use a {@link FrameWriter}, which is
     */
    public OutputStream stdin() {
        return stdin;
    }

    /** {@return the worker's stdout; callers wrap and buffer it as they like (a {@link FrameReader} does)} */
    public InputStream stdout() {
        return process.getInputStream();
    }

    /**
     * Tells when the main process has exited, and with which status.
     *
     * @return completes with the exit status when the main process exits (from
     *     {@link Process#onExit()}, not from end-of-file on stdout); descendants may still run. A copy:
     *     completing it does not affect this process
     */
    public CompletableFuture<Integer> onExit() {
        return exit.copy();
    }

    /** {@return whether the main process is still running} */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * {@return the last {@code spec.stderrTailLines()} lines of stderr, oldest first, each cut to
     *     about 1000 bytes}
     */
    public List<String> stderrTail() {
        return stderr.tail();
    }

    /**
     * Waits until stderr reaches end-of-file, so {@link #stderrTail()} holds the worker's last words.
     * End-of-file comes when the worker and everything that inherited its stderr have exited.
     *
     * @param timeout how long to wait at most
     * @return whether stderr was fully read within the time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitStderrClosed(Duration timeout) throws InterruptedException {
        return stderr.await(Math.max(0, timeout.toMillis()));
    }

    /**
     * What a transport needs when the worker's stdout ended or a write failed: the exit status, if the
     * process exits within {@code wait}, and a complete stderr tail, read to its end within
     * {@code stderrWait} (whether or not it exited). An interrupt ends the waits early and is kept.
     *
     * @param wait how long to wait for the exit (zero: only if it has exited already)
     * @param stderrWait how long to wait for the rest of stderr (zero: not at all)
     * @return the exit status, or empty if the process is still running
     */
    public OptionalInt awaitExit(Duration wait, Duration stderrWait) {
        OptionalInt status = OptionalInt.empty();
        try {
            status = OptionalInt.of(exit.get(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // still running
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return status;
        }
        if (!stderrWait.isZero()) {
            try {
                awaitStderrClosed(stderrWait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return status;
    }

    /**
     * Closes the worker's stdin (a well-behaved worker exits on end-of-file). Idempotent; never
     * throws; returns at once: the close, which first flushes what is buffered and must wait for a
     * writer that is blocked on a full pipe, happens on a helper thread, so a worker that stopped
     * reading cannot block the caller (nor {@link #stop(Duration)}).
     */
    public void closeStdin() {
        if (stdinClosed.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("warmpool-close-stdin-" + id).start(() -> {
                try {
                    stdin.close();
                } catch (IOException | RuntimeException e) {
                    // the worker is gone or stopped reading: closing is all that was wanted
                    LOG.trace("closing stdin of worker {}: {}", id, e.toString());
                }
            });
        }
    }

    /**
     * Stops the worker politely without blocking the caller: closes its stdin, waits up to
     * {@code grace} for it to exit, sends SIGTERM to it, its descendants, its process group and the
     * members of its cgroup (or the carriers of its marker), waits up to {@code grace} again, then
     * sends SIGKILL to whatever is left ({@code cgroup.kill} where there is one). Descendants still
     * running after the worker exited on its own are terminated the same way. Idempotent: later
     * calls return the first call's outcome.
     *
     * @param grace how long each step waits; zero goes straight through the steps
     * @return completes with the worker's exit status once it and its known descendants are gone
     */
    public CompletableFuture<Integer> stop(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        CompletableFuture<Integer> f = new CompletableFuture<>();
        if (!stopping.compareAndSet(null, f)) {
            return Objects.requireNonNull(stopping.get(), "stopping").copy(); // set by the stop that won
        }
        Duration g = grace.isNegative() ? Duration.ZERO : grace;
        Thread.ofVirtual().name("warmpool-stop-" + id).start(() -> {
            try {
                runStop(g);
                if (!leftovers().isEmpty()) {
                    // a fork after the last look, or something SIGKILL could not end yet
                    kill();
                } else {
                    enclosure.release();
                }
                f.complete(process.onExit().join().exitValue());
            } catch (Throwable t) {
                kill();
                f.completeExceptionally(t);
            }
        });
        return f.copy();
    }

    private void runStop(Duration grace) throws InterruptedException {
        Map<Long, ProcessHandle> known = new LinkedHashMap<>();
        addDescendants(known, ProcessTree.scan());
        closeStdin();
        if (!ProcessTree.waitGone(List.of(process.toHandle()), grace)) {
            addDescendants(known, ProcessTree.scan());
        }
        List<ProcessHandle> targets = targets(known, ProcessTree.scan(), true);
        if (targets.isEmpty()) {
            return;
        }
        LOG.debug("stopping worker {}: SIGTERM to {} process(es)", id, targets.size());
        signal(targets, false);
        if (ProcessTree.waitGone(targets, grace)) {
            return;
        }
        ProcessTree.Snapshot now = ProcessTree.scan();
        addDescendants(known, now);
        targets = targets(known, now, true);
        LOG.debug("stopping worker {}: SIGKILL to {} process(es) still running after {}", id, targets.size(), grace);
        enclosure.killAll();
        signal(targets, true);
        if (!ProcessTree.waitGone(targets, KILL_WAIT)) {
            LOG.warn("worker {}: processes {} still exist {} after SIGKILL", id,
                    targets.stream().filter(h -> !ProcessTree.isGone(h)).map(ProcessHandle::pid).toList(), KILL_WAIT);
        }
    }

    /**
     * Kills the worker and everything it started at once with SIGKILL: its cgroup (which holds even
     * processes that left its session), its descendants, its process group, and the processes that
     * carry its {@value #MARKER_VARIABLE} marker. Idempotent; never throws.
     */
    public void kill() {
        try {
            // first: cgroup.kill is atomic and also ends forks in flight
            enclosure.killAll();
            ProcessTree.Snapshot snapshot = ProcessTree.scan();
            Map<Long, ProcessHandle> known = new LinkedHashMap<>();
            addDescendants(known, snapshot);
            List<ProcessHandle> targets = targets(known, snapshot, false);
            signal(targets, true);
            if (targets.size() > 1) {
                // a process that forked while dying, and is still in the group, gets a second chance to go
                signal(ProcessTree.groupMembers(ProcessTree.scan(), pgid, groupCutoff()), true);
            }
        } catch (RuntimeException e) {
            LOG.warn("worker {}: killing failed", id, e);
            process.toHandle().destroyForcibly();
        }
        if (releasing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("warmpool-release-" + id).start(this::releaseWhenGone);
        }
    }

    /** Releases the enclosure once SIGKILL has taken effect; keeps it (for the watchdog) if it did not. */
    private void releaseWhenGone() {
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        long sleep = 1;
        try {
            while (true) {
                List<Long> left = leftovers();
                if (!process.isAlive() && left.isEmpty()) {
                    enclosure.release();
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    LOG.warn("worker {}: processes {} still exist {} after SIGKILL ({}); the watchdog keeps tracking them",
                            id, left, KILL_WAIT, enclosure);
                    return;
                }
                // forks that were under way when the first SIGKILL went out
                left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                Thread.sleep(sleep);
                sleep = Math.min(sleep * 2, 20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** When the worker exits by itself and took everything with it, its enclosure is released at once. */
    private void releaseIfNothingLeft() {
        if (!releasing.get() && leftovers().isEmpty()) {
            enclosure.release();
        }
    }

    /** @return the worker's processes besides the main one: in its cgroup, else in its group or with its marker */
    private List<Long> leftovers() {
        List<Long> out = new ArrayList<>();
        if (enclosure.cgroup().isEmpty() || enclosure.hasMembers()) {
            out.addAll(enclosure.members());
        }
        if (enclosure.cgroup().isEmpty()) {
            ProcessTree.groupMembers(ProcessTree.scan(), pgid, groupCutoff()).forEach(h -> out.add(h.pid()));
        }
        out.remove(Long.valueOf(process.pid()));
        return out;
    }

    /** Adds the main process's current descendants (parents are signalled before their children re-parent them). */
    private void addDescendants(Map<Long, ProcessHandle> known, ProcessTree.Snapshot snapshot) {
        if (!process.isAlive()) {
            return;
        }
        if (ProcessTree.HAS_PROC) {
            for (long pid : snapshot.descendants(process.pid())) {
                ProcessHandle.of(pid).ifPresent(h -> known.putIfAbsent(pid, h));
            }
        } else {
            process.descendants().forEach(h -> known.putIfAbsent(h.pid(), h));
        }
    }

    /**
     * @return the main process (first), then the live processes among {@code known}, the process
     *     group and, if {@code members}, the enclosure (cgroup or marker)
     */
    private List<ProcessHandle> targets(Map<Long, ProcessHandle> known, ProcessTree.Snapshot snapshot, boolean members) {
        Map<Long, ProcessHandle> all = new LinkedHashMap<>();
        if (process.isAlive()) {
            all.put(process.pid(), process.toHandle());
        }
        for (ProcessHandle h : known.values()) {
            if (!ProcessTree.isGone(h)) {
                all.putIfAbsent(h.pid(), h);
            }
        }
        for (ProcessHandle h : ProcessTree.groupMembers(snapshot, pgid, groupCutoff())) {
            all.putIfAbsent(h.pid(), h);
        }
        for (long pid : members ? enclosure.members() : List.<Long>of()) {
            ProcessHandle.of(pid).ifPresent(h -> all.putIfAbsent(pid, h));
        }
        return new ArrayList<>(all.values());
    }

    /** While the worker lives its pid cannot be reused; after it died, only older processes can be its group's. */
    private @Nullable Instant groupCutoff() {
        Instant at = exitedAt;
        if (at == null && !process.isAlive()) {
            at = Instant.now();
        }
        return at == null ? null : at.plus(GROUP_START_SLACK);
    }

    private void signal(List<ProcessHandle> targets, boolean force) {
        long self = ProcessHandle.current().pid();
        for (ProcessHandle h : targets) {
            if (h.pid() == self) {
                continue;
            }
            try {
                // also for the main process through its handle: Process.destroy() would close our
                // ends of its pipes, losing its last output and stderr lines
                if (force) {
                    h.destroyForcibly();
                } else {
                    h.destroy();
                }
            } catch (RuntimeException e) {
                LOG.debug("worker {}: could not signal process {}: {}", id, h.pid(), e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "WorkerProcess[" + id + ", pid " + process.pid() + (process.isAlive() ? "" : ", exited") + "]";
    }
}
