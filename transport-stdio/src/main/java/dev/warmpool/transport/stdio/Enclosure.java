package dev.warmpool.transport.stdio;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One worker's place in its JVM's {@link Containment}: the cgroup child it runs in (if any), the
 * marker in its environment (if any), and the argv and environment that put it there before the
 * user's program runs.
 *
 * <p>With a cgroup the worker starts as
 * {@code sh -c 'echo $$ > "$0" && exec "$@"' LEAF/cgroup.procs env -u PWD ... -- [setsid] PROGRAM ARGS}:
 * the script is a constant and the user's argv only ever arguments, so nothing is interpreted by a
 * shell; {@code sh} joins the cgroup and replaces itself with {@code env}, which removes the
 * variables a shell adds ({@code PWD}, {@code OLDPWD}, {@code SHLVL}, {@code _}) or puts back the
 * spec's values of them, and replaces itself with the program. The pid stays the same throughout,
 * and every process the program ever starts is born in the cgroup.
 *
 * <p>Thread-safe. {@link #members()} and {@link #hasMembers()} read {@code /proc} or the cgroup
 * file system; nothing blocks.
 */
final class Enclosure {
    /** Joins the cgroup whose {@code cgroup.procs} is {@code $0}, then runs the rest. A constant. */
    static final String LAUNCHER = "echo $$ > \"$0\" && exec \"$@\"";
    /** What {@code sh} (dash or bash) may add to the environment of what it executes. */
    private static final List<String> SHELL_VARIABLES = List.of("PWD", "OLDPWD", "SHLVL", "_");

    private final Containment owner;
    private final Optional<String> marker;
    private final Optional<Path> cgroup;
    private final List<String> argv;
    private final Map<String, String> environment;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile long pgid = -1;

    Enclosure(Containment owner, Optional<String> marker, Optional<Path> cgroup, List<String> argv,
            Map<String, String> environment, Optional<Path> sh, Optional<Path> env) {
        this.owner = owner;
        this.marker = marker;
        this.cgroup = cgroup.filter(c -> sh.isPresent() && env.isPresent());
        Map<String, String> e = new LinkedHashMap<>(environment);
        marker.ifPresent(m -> e.put(Containment.MARKER, m));
        this.environment = Collections.unmodifiableMap(e);
        if (this.cgroup.isEmpty()) {
            this.argv = List.copyOf(argv);
            return;
        }
        List<String> a = new ArrayList<>(List.of(sh.get().toString(), "-c", LAUNCHER,
                this.cgroup.get().resolve("cgroup.procs").toString(), env.get().toString()));
        List<String> assignments = new ArrayList<>();
        for (String name : SHELL_VARIABLES) {
            if (environment.containsKey(name)) {
                assignments.add(name + "=" + environment.get(name));
            } else {
                a.add("-u");
                a.add(name);
            }
        }
        a.add("--");
        a.addAll(assignments);
        a.addAll(argv);
        this.argv = List.copyOf(a);
    }

    /** @return whether the launcher can run this argv: {@code env} would take a first word with {@code =} for a variable */
    static boolean canLaunch(List<String> argv) {
        return !argv.isEmpty() && argv.get(0).indexOf('=') < 0;
    }

    /** @return the argv to start */
    List<String> argv() {
        return argv;
    }

    /** @return the environment to start with: the spec's, plus the marker */
    Map<String, String> environment() {
        return environment;
    }

    /** @return the marker's value, {@code TOKEN.SEQ} */
    Optional<String> marker() {
        return marker;
    }

    /** @return the worker's cgroup directory */
    Optional<Path> cgroup() {
        return cgroup;
    }

    /** The worker started and leads process group {@code pgid} (or -1): the watchdog tracks it. */
    void started(long pgid) {
        this.pgid = pgid;
        if (pgid > 1) {
            owner.track(pgid);
        }
    }

    /**
     * @return the pids in the worker's cgroup, or else those whose environment carries its marker;
     *     never this JVM
     */
    List<Long> members() {
        if (released.get()) {
            return List.of();
        }
        long self = ProcessHandle.current().pid();
        List<Long> out = cgroup.isPresent() ? Cgroup.members(cgroup.get())
                : marker.map(m -> ProcessTree.withEnvironmentEntry(Containment.MARKER + "=" + m)).orElse(List.of());
        return out.stream().filter(p -> p != self).toList();
    }

    /** @return whether any process of the worker is left that the cgroup or the marker can see */
    boolean hasMembers() {
        if (released.get()) {
            return false;
        }
        return cgroup.isPresent() ? Cgroup.populated(cgroup.get()) : !members().isEmpty();
    }

    /** SIGKILLs every member: {@code cgroup.kill}, or each process that carries the marker. Never throws. */
    void killAll() {
        if (released.get()) {
            return;
        }
        if (cgroup.isPresent()) {
            Cgroup.kill(cgroup.get());
        } else {
            members().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /**
     * The worker is gone, with everything it started: the watchdog forgets its process group, its
     * cgroup directory is removed, and it no longer keeps the watchdog alive. Idempotent.
     */
    void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        if (pgid > 1) {
            owner.untrack(pgid);
        }
        cgroup.ifPresent(Cgroup::remove);
        owner.closed();
    }

    @Override
    public String toString() {
        return cgroup.map(c -> "cgroup " + c).orElse(marker.map(m -> Containment.MARKER + "=" + m).orElse("uncontained"));
    }
}
