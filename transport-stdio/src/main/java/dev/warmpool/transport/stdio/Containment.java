package dev.warmpool.transport.stdio;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this JVM uses to find and kill everything its workers started, whatever the workers do:
 * a cgroup v2 directory per JVM with a child per worker where a writable hierarchy exists, an
 * environment marker on every worker, and a {@link Watchdog} process that kills all of it when the
 * JVM dies. {@link #enclose} gives each new worker its {@link Enclosure}.
 *
 * <p>The mechanisms are chosen once per JVM from system properties ({@link Options#fromSystemProperties()}):
 * {@value #CGROUP_PROPERTY} ({@code auto}, the default; {@code false}; or the absolute path of a
 * cgroup v2 directory to make this JVM's directory in), {@value #WATCHDOG_PROPERTY} and
 * {@value #MARKER_PROPERTY} ({@code true}, the default, or {@code false}).
 *
 * <p>Thread-safe. {@link #enclose} blocks only the first time, while the cgroup is probed (one
 * short-lived process, at most 2 s) and the watchdog is started.
 */
final class Containment implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Containment.class);

    /** The environment variable every worker gets: {@code WARMPOOL_WORKER=TOKEN.SEQ}. */
    static final String MARKER = "WARMPOOL_WORKER";
    static final String CGROUP_PROPERTY = "warmpool.cgroup";
    static final String WATCHDOG_PROPERTY = "warmpool.watchdog";
    static final String MARKER_PROPERTY = "warmpool.workerMarker";
    /**
     * How long the watchdog outlives the last worker: long enough that a {@code oneshot} pool does
     * not start one per request, short enough that "no process left" checks see it go at once.
     */
    private static final Duration LINGER = Duration.ofMillis(200);
    /** How long a start waits for the watchdog to be told of the worker's process group. */
    private static final Duration TRACK_WAIT = Duration.ofMillis(500);

    private static @Nullable Containment system;

    /**
     * Which mechanisms to use.
     *
     * @param cgroup whether to use cgroup v2 where it is writable
     * @param cgroupParent where to make this JVM's cgroup directory; empty to search
     * @param watchdog whether to start the watchdog
     * @param marker whether to give workers the {@value Containment#MARKER} variable
     */
    record Options(boolean cgroup, Optional<Path> cgroupParent, boolean watchdog, boolean marker) {
        static final Options ALL = new Options(true, Optional.empty(), true, true);

        /**
         * @return the options from the system properties
         * @throws IllegalArgumentException naming a property with a bad value
         */
        static Options fromSystemProperties() {
            String cg = System.getProperty(CGROUP_PROPERTY, "auto").trim();
            boolean cgroup = true;
            Optional<Path> parent = Optional.empty();
            switch (cg.toLowerCase(Locale.ROOT)) {
                case "auto", "true" -> { }
                case "false" -> cgroup = false;
                default -> {
                    if (!cg.startsWith("/")) {
                        throw new IllegalArgumentException("system property " + CGROUP_PROPERTY + " is '" + cg
                                + "', but must be auto, false or the absolute path of a cgroup v2 directory");
                    }
                    parent = Optional.of(Path.of(cg));
                }
            }
            return new Options(cgroup, parent, flag(WATCHDOG_PROPERTY), flag(MARKER_PROPERTY));
        }

        private static boolean flag(String name) {
            String v = System.getProperty(name, "true").trim();
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("system property " + name + " is '" + v
                        + "', but must be true or false");
            };
        }
    }

    private final Options options;
    private final String token;
    private final Optional<Path> sh = Executables.tool("sh");
    private final Optional<Path> env = Executables.tool("env");
    private final Optional<Watchdog> watchdog;
    private Optional<Cgroup> cgroup = Optional.empty();
    private boolean cgroupResolved;
    private long seq;
    private int open;
    private long generation;

    Containment(Options options) {
        this.options = options;
        this.token = ProcessHandle.current().pid() + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        this.watchdog = options.watchdog() && ProcessTree.HAS_PROC && sh.isPresent()
                ? Optional.of(new Watchdog(options.marker() ? Optional.of(token) : Optional.empty(), sh.get(),
                        Executables.SETSID))
                : Optional.empty();
    }

    /**
     * @return the JVM's containment, configured from the system properties at its first use
     * @throws IllegalArgumentException if a property has a bad value (then on every call)
     */
    static synchronized Containment system() {
        if (system == null) {
            system = new Containment(Options.fromSystemProperties());
        }
        return system;
    }

    /** @return this JVM's token, the first part of every worker's marker */
    String token() {
        return token;
    }

    /** @return this JVM's cgroup directory, once a worker was enclosed in it */
    synchronized Optional<Path> cgroup() {
        return cgroup.map(Cgroup::dir);
    }

    /** @return the watchdog, if this JVM uses one */
    Optional<Watchdog> watchdog() {
        return watchdog;
    }

    /**
     * Makes the enclosure for a worker about to start: its cgroup child, its marker, its launch argv.
     * The worker counts as open (keeping the watchdog alive) until {@link Enclosure#release()}.
     *
     * @param argv the argv the worker would run without containment (program as an absolute path)
     * @param environment the worker's environment from its spec
     * @return the enclosure
     * @throws IllegalStateException if the cgroup the user named cannot be used
     */
    synchronized Enclosure enclose(List<String> argv, Map<String, String> environment) {
        if (!cgroupResolved) {
            if (options.cgroup() && ProcessTree.HAS_PROC && sh.isPresent() && env.isPresent()) {
                cgroup = Cgroup.create(token, options.cgroupParent(), sh.get());
            }
            cgroupResolved = true;
            cgroup.ifPresent(c -> watchdog.ifPresent(w -> w.cgroup(c.dir())));
            LOG.debug("worker containment: cgroup {}, environment marker {}, watchdog {}",
                    cgroup.map(c -> c.dir().toString()).orElse("none"), options.marker() ? MARKER : "off",
                    watchdog.isPresent() ? "on" : "off");
        }
        open++;
        generation++;
        watchdog.ifPresent(Watchdog::open);
        long n = ++seq;
        Optional<Path> leaf = Optional.empty();
        if (cgroup.isPresent() && Enclosure.canLaunch(argv)) {
            try {
                leaf = Optional.of(cgroup.get().child("w" + n));
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("cannot make a cgroup for a worker in {} ({}); it runs without one", cgroup.get().dir(),
                        e.toString());
            }
        }
        return new Enclosure(this, options.marker() ? Optional.of(token + "." + n) : Optional.empty(), leaf,
                argv, environment, sh, env);
    }

    /** An enclosure was released: with none left, the watchdog retires after {@link #LINGER}. */
    synchronized void closed() {
        if (--open > 0) {
            return;
        }
        long gen = ++generation;
        Thread.ofVirtual().name("warmpool-containment-idle").start(() -> {
            try {
                Thread.sleep(LINGER);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                if (generation == gen && open == 0) {
                    watchdog.ifPresent(Watchdog::retire);
                    // empty by now; made again by the next worker
                    cgroup.ifPresent(c -> Cgroup.remove(c.dir()));
                }
            }
        });
    }

    /**
     * Tells the watchdog to track a worker's process group, and waits (half a second at most) until it
     * was told: a worker whose start returned is known to the watchdog, even if the JVM is killed at once.
     */
    void track(long pgid) {
        watchdog.ifPresent(w -> {
            w.track(pgid);
            w.awaitSent(TRACK_WAIT);
        });
    }

    /** Tells the watchdog a worker's process group is empty. */
    void untrack(long pgid) {
        watchdog.ifPresent(w -> w.untrack(pgid));
    }

    /**
     * Acts as this JVM's death would for the watchdog: it kills every worker of this containment and
     * everything they started, and removes the cgroup directories. For tests.
     */
    @Override
    public synchronized void close() {
        generation++;
        watchdog.ifPresent(Watchdog::closeInput);
    }
}
