package dev.warmpool.transport.hosts;

import dev.warmpool.api.WorkerStartException;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.spi.WorkerSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code hosts} transport: places the workers of another transport (the inner one: {@code jsonrpc},
 * {@code line}, ...) on several hosts, and keeps the local promises there.
 *
 * <p><b>Placement.</b> {@link #start(WorkerSpec)} picks the host with the fewest workers per unit of
 * weight among those below their maximum and not down, rewrites the spec's argv through that host's
 * launcher (local: unchanged; ssh: {@code ssh -T -o BatchMode=yes ... host -- sh -c WRAPPER ARGV};
 * {@code exec:} templates: the template's words first) and lets the inner transport start it. The
 * worker's id gets the host ({@code w-3@deploy@10.0.0.2}) for the inner transport, so every message
 * it words (start failures, crashes, protocol errors) names the host; {@link Worker#id()} stays the
 * pool's, and {@link Worker#host()} is the host's URI ({@code local}, {@code ssh://deploy@10.0.0.2}), which
 * the pool's health reports and metrics carry.
 *
 * <p><b>Environment and directory.</b> ssh forwards neither, so on a remote host the wrapper enters the
 * spec's directory and exports the variables the pool configured (not those this machine lends every
 * worker by default, such as {@code PATH} and {@code HOME}: the host has its own), each passed as one
 * argument and never parsed by a shell.
 *
 * <p><b>Readiness.</b> A remote worker is ready only when the remote program runs: the inner
 * transport's handshake proves it ({@code jsonrpc}), and for {@code line} the remote wrapper prints a
 * ready line once the program started, which the inner transport waits for through its
 * {@code readyLine} setting (unless the spec names a ready line of its own).
 *
 * <p><b>Failure.</b> A host where a start fails (cannot connect, authentication refused, the program
 * exits at once) is down for a backoff that doubles per failure; the start moves on to the next host
 * within what is left of the start timeout. After the backoff one start is let through as a probe, and
 * its success brings the host back. Workers already running there fail on their own (their calls end
 * as crashes naming the host) and the pool replaces them elsewhere.
 *
 * <p><b>Cleanup.</b> On a remote host each worker runs in its own process group under a POSIX
 * {@code sh} wrapper (nothing installed there): when its stdin ends, because the pool stopped it or
 * because the pool's JVM died and with it the ssh session, the wrapper gives it {@link
 * HostsOptions#remoteGrace()}, then SIGTERMs and, after the grace again, SIGKILLs its group. A stop
 * or kill also signals the group over a second connection. Processes that left the group ({@code setsid})
 * are found by a per-worker token in their environment where the host has {@code /proc} (Linux) and end
 * with it. docs/hosts.md has the details and the limits.
 *
 * <p>Thread-safe: starts run in parallel; placement decisions are made under one lock.
 */
public final class HostsTransport implements Transport {
    /** The provider name, {@code "hosts"}. */
    public static final String NAME = "hosts";
    /** The environment variable with the default host list, comma-separated. */
    public static final String ENV_HOSTS = "WARMPOOL_HOSTS";
    /** How long a start waits for the remote wrapper's process group line after the worker is ready. */
    private static final Duration PGID_WAIT = Duration.ofSeconds(1);
    private static final String READY_LINE = "readyLine";
    private static final Logger LOG = LoggerFactory.getLogger(HostsTransport.class);

    private final Transport inner;
    private final List<Host> hosts;
    private final HostsOptions options;
    private final Placement placement;
    private final SharedConnections connections;
    private final Set<String> ownSettings;
    /** This JVM's environment: which of a spec's variables were inherited from it, not configured. */
    private final Map<String, String> parentEnvironment = System.getenv();

    private HostsTransport(Transport inner, List<Host> hosts, HostsOptions options, Set<String> ownSettings) {
        this.inner = Objects.requireNonNull(inner, "inner");
        if (inner instanceof HostsTransport) {
            throw new IllegalArgumentException("the inner transport of hosts is hosts itself; name the transport that speaks to the workers, e.g. jsonrpc or line");
        }
        this.hosts = List.copyOf(hosts);
        if (this.hosts.isEmpty()) {
            throw new IllegalArgumentException("no hosts given; e.g. local,ssh://user@host");
        }
        this.options = Objects.requireNonNull(options, "options");
        this.placement = new Placement(this.hosts, options, System::nanoTime);
        this.connections = new SharedConnections(options);
        this.ownSettings = Set.copyOf(ownSettings);
    }

    /**
     * Places {@code inner}'s workers on {@code hosts}.
     *
     * @param inner the transport that speaks to the workers
     * @param hosts where workers run, at least one
     * @param options how hosts are reached
     * @return the transport
     * @throws IllegalArgumentException if {@code hosts} is empty or {@code inner} is a hosts transport
     */
    public static HostsTransport wrap(Transport inner, List<Host> hosts, HostsOptions options) {
        return new HostsTransport(inner, hosts, options, Set.of());
    }

    /** The provider's way in: {@code own} are the setting names this transport strips from each spec. */
    static HostsTransport wrap(Transport inner, List<Host> hosts, HostsOptions options, Set<String> own) {
        return new HostsTransport(inner, hosts, options, own);
    }

    /** @return {@value #NAME} */
    @Override
    public String name() {
        return NAME;
    }

    /** {@return the hosts, in the order given} */
    public List<Host> hosts() {
        return hosts;
    }

    /** {@return each host's worker count and health, in the order given} */
    public List<HostStatus> status() {
        return placement.status();
    }

    /**
     * Starts a worker on the best host, moving on to the next host when a start fails.
     *
     * @throws WorkerStartException if no host could start it within the spec's start timeout; the message
     *     names each host and why it could not
     */
    @Override
    public Worker start(WorkerSpec spec) {
        Objects.requireNonNull(spec, "spec");
        long deadline = System.nanoTime() + spec.startTimeout().toNanos();
        Set<Host> tried = new HashSet<>();
        RuntimeException last = null;
        while (true) {
            Optional<Placement.Slot> slot = placement.reserve(tried);
            long left = deadline - System.nanoTime();
            if (slot.isEmpty() || left <= 0) {
                slot.ifPresent(placement::released);
                List<String> tail = last instanceof WorkerStartException w ? w.stderrTail() : List.of();
                throw new WorkerStartException("cannot start worker " + spec.id() + " on any host: "
                        + placement.whyNone(tried), tail, last);
            }
            Placement.Slot s = slot.get();
            try {
                Worker w = startOn(s, spec, Duration.ofNanos(left));
                placement.started(s);
                return w;
            } catch (WorkerStartException | HostFailure e) {
                if (Thread.currentThread().isInterrupted()) {
                    // the pool gave up on this start (it is closing): the host did nothing wrong
                    placement.released(s);
                    throw e instanceof WorkerStartException w ? w
                            : new WorkerStartException("cannot start worker " + spec.id() + ": " + e.getMessage(), List.of(), e);
                }
                // both kinds always carry a message: HostFailure builds one, WorkerStartException's is not nullable
                placement.failed(s, oneLine(Objects.requireNonNull(e.getMessage(), "a start failure without a message")));
                tried.add(s.host);
                last = e;
                LOG.warn("host {} is down: a start failed: {}", s.host.uri(), e.getMessage());
            } catch (RuntimeException | Error e) {
                placement.released(s);
                throw e;
            }
        }
    }

    /** {@return the message on one line, for the host's status: the stderr tail's lines joined} */
    private static String oneLine(String message) {
        return message.replace("\n  ", " ").replace('\n', ' ');
    }

    private Worker startOn(Placement.Slot slot, WorkerSpec spec, Duration left) {
        Host host = slot.host;
        Map<String, String> settings = new LinkedHashMap<>(spec.settings());
        settings.keySet().removeAll(ownSettings);
        Optional<Path> controlPath = Optional.empty();
        Optional<RemoteLaunch> launch = Optional.empty();
        WorkerSpec placed;
        if (host.isLocal()) {
            placed = new WorkerSpec(spec.id(), spec.command(), spec.environment(), spec.directory(), left,
                    spec.maxFrameBytes(), spec.strictOutput(), spec.stderrTailLines(), settings);
        } else {
            if (host.launcher() instanceof Launcher.Ssh ssh) {
                controlPath = connections.controlPath(ssh);
                connections.ensure(host, ssh, spec.environment(), left);
            }
            String marker = "";
            if (inner.name().equals("line") && !settings.containsKey(READY_LINE)) {
                marker = RemoteScripts.READY_MARKER;
                settings.put(READY_LINE, marker);
            }
            // a variable the remote shell cannot set is the configuration's fault, not the host's: not a HostFailure
            RemoteLaunch l = RemoteLaunch.of(spec.directory(), spec.environment(), parentEnvironment, host.uri());
            launch = Optional.of(l);
            List<String> remote = RemoteScripts.wrap(marker, options.remoteGrace().toMillis() / 100, l, spec.command());
            List<String> argv = host.launcher().command(remote, options, left, controlPath);
            // the directory is the remote worker's (the wrapper enters it); the launcher runs in the pool's
            placed = new WorkerSpec(spec.id() + "@" + host.label(), argv, spec.environment(), Optional.empty(), left,
                    spec.maxFrameBytes(), spec.strictOutput(), Math.max(2, spec.stderrTailLines()), settings);
        }
        Worker w;
        try {
            w = inner.start(placed);
        } catch (WorkerStartException e) {
            throw host.isLocal() ? e : readable(e, host, spec.command());
        }
        HostedWorker hosted = new HostedWorker(w, spec.id(), placement, slot,
                new RemoteControl(host, options, spec.environment(), controlPath, launch.map(RemoteLaunch::token).orElse("")));
        if (!host.isLocal()) {
            hosted.awaitPgid(PGID_WAIT);
        }
        return hosted;
    }

    /**
     * The process transports name the command line of a failed start, which for a remote host is the
     * launcher and the whole wrapper script: that part is put as the host and the worker's own argv.
     */
    private static WorkerStartException readable(WorkerStartException e, Host host, List<String> argv) {
        // WorkerStartException's message is not nullable (it also ends with the stderr tail's description)
        String m = Objects.requireNonNull(e.getMessage(), "a start failure without a message");
        int from = m.indexOf(" (command: ");
        int dir = from < 0 ? -1 : m.indexOf("; directory: ", from);
        int to = dir < 0 ? -1 : m.indexOf(')', dir);
        if (to < 0) {
            return e;
        }
        // what follows is the stderr tail, which the new exception words again
        String said = m.substring(0, from) + " (command on host " + host.uri() + ": " + RemoteScripts.commandLine(argv) + ")";
        WorkerStartException out = new WorkerStartException(said, e.stderrTail(), e.getCause());
        out.setStackTrace(e.getStackTrace());
        return out;
    }

    @Override
    public String toString() {
        return "HostsTransport[" + inner.name() + " on " + hosts + "]";
    }
}
