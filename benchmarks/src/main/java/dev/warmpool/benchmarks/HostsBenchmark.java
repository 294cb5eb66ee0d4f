package dev.warmpool.benchmarks;

import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.spi.Call;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.core.WarmPool;
import dev.warmpool.testkit.sshd.SshHosts;
import dev.warmpool.testkit.sshd.Sshd;
import dev.warmpool.transport.hosts.Host;
import dev.warmpool.transport.hosts.HostsOptions;
import dev.warmpool.transport.hosts.HostsTransport;
import dev.warmpool.transport.stdio.LineTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workers on another host over OpenSSH against the same worker program on this machine, with the
 * {@code hosts} transport ({@code line} inside, {@code cat} as the worker). The "other host" is a real
 * {@code /usr/sbin/sshd} on 127.0.0.2 that each fork starts in its set-up (keys, configuration and logs in a
 * temporary directory, nothing of the system's ssh configuration used): the figures are the cost of ssh
 * itself (encryption, {@code sshd}, the remote login shell and wrapper), without a network.
 * <ul>
 *   <li>{@code warmLocal}, {@code warmSsh}: one request to a warm one-worker pool whose host is
 *       {@code local}, and whose host is {@code ssh://user@127.0.0.2:PORT}; latency distributions;</li>
 *   <li>{@code spawn}: a worker started by the transport, as the pool starts one, until its first answer,
 *       on {@code host=local} and over ssh; with {@code host=ssh-shared} the workers of the host share one
 *       connection ({@code ControlMaster}, made by the first start, in the warmup), so a spawn costs a
 *       session on it rather than a new connection and handshake; {@code ssh-unshared} makes each spawn
 *       connect on its own. One spawn per iteration ({@link Mode#SingleShotTime}); stopping the worker is not timed;</li>
 *   <li>{@code sshTrue}: the floor of a spawn over ssh, the plain client running {@code true} there (the
 *       remote login shell's start included), through a master connection or connecting each time.</li>
 * </ul>
 * Where sshd or the ssh client tools are missing, the ssh benchmarks fail in their set-up with the reason
 * ({@link Sshd#unavailable()}); JMH goes on with the others.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class HostsBenchmark {
    private static final String ADDRESS = "127.0.0.2";
    private static final Duration STOP_GRACE = Duration.ofSeconds(1);

    /** Starts the loopback sshd, or fails with why it cannot run here. */
    static SshHosts startSshd() throws IOException, InterruptedException {
        var why = Sshd.unavailable();
        if (why.isPresent()) {
            throw new IllegalStateException("HostsBenchmark's ssh benchmarks need a local OpenSSH server and cannot run here: "
                    + why.get());
        }
        return SshHosts.start(ADDRESS);
    }

    /** The {@code hosts} transport's options for the loopback servers: their client configuration. */
    static HostsOptions.Builder options(SshHosts sshd) {
        return HostsOptions.builder().sshConfig(sshd.clientConfig());
    }

    /** A one-worker {@code hosts} pool of {@code cat} on {@code local}. */
    @State(Scope.Benchmark)
    public static class LocalPool {
        WarmPool pool;

        /** Starts the pool and checks one answer. */
        @Setup(Level.Trial)
        public void start() {
            pool = Programs.startPool(Programs.poolConfig("line", Programs.cat(), 1).hosts("local").build(), false);
        }

        /** Shuts the pool down. */
        @TearDown(Level.Trial)
        public void stop() {
            pool.close();
        }
    }

    /** A one-worker {@code hosts} pool of {@code cat} on the loopback sshd. */
    @State(Scope.Benchmark)
    public static class SshPool {
        SshHosts sshd;
        WarmPool pool;

        /**
         * Starts sshd and the pool, and checks one answer.
         *
         * @throws IOException if the server's files cannot be written
         * @throws InterruptedException never (JMH does not interrupt)
         */
        @Setup(Level.Trial)
        public void start() throws IOException, InterruptedException {
            sshd = startSshd();
            PoolConfig config = Programs.poolConfig("line", Programs.cat(), 1)
                    .hosts(sshd.server(0).uri())
                    .transportSetting("ssh-config", sshd.clientConfig().toString())
                    .startTimeout(Duration.ofSeconds(20))
                    .build();
            pool = Programs.startPool(config, false);
        }

        /**
         * Shuts the pool down, then sshd.
         *
         * @throws IOException if the server's files cannot be deleted
         * @throws InterruptedException never (JMH does not interrupt)
         */
        @TearDown(Level.Trial)
        public void stop() throws IOException, InterruptedException {
            try {
                if (pool != null) {
                    pool.close();
                }
            } finally {
                if (sshd != null) {
                    sshd.close();
                }
            }
        }
    }

    /** The worker a spawn started, stopped (untimed) after each single shot. */
    @State(Scope.Thread)
    public static class Spawned {
        Worker worker;

        /**
         * Stops the worker the iteration started.
         *
         * @throws ExecutionException if stopping fails
         * @throws TimeoutException if it takes more than 10 s
         * @throws InterruptedException never (JMH does not interrupt)
         */
        @TearDown(Level.Iteration)
        public void stop() throws ExecutionException, TimeoutException, InterruptedException {
            if (worker != null) {
                worker.stop(STOP_GRACE).get(10, TimeUnit.SECONDS);
                worker = null;
            }
        }
    }

    /**
     * The {@code hosts} transport with one host: {@code local}, or the loopback sshd with connection sharing
     * ({@code ssh-shared}) or without ({@code ssh-unshared}).
     */
    @State(Scope.Benchmark)
    public static class SpawnHost {
        /** Where the workers start: {@code local}, {@code ssh-shared} or {@code ssh-unshared}. */
        @Param({"local", "ssh-shared", "ssh-unshared"})
        public String host;
        SshHosts sshd;
        Transport transport;

        /**
         * Starts sshd unless the host is {@code local}, and makes the transport.
         *
         * @throws IOException if the server's files cannot be written
         * @throws InterruptedException never (JMH does not interrupt)
         */
        @Setup(Level.Trial)
        public void start() throws IOException, InterruptedException {
            if (host.equals("local")) {
                transport = HostsTransport.wrap(new LineTransport(), List.of(Host.local()), HostsOptions.defaults());
                return;
            }
            sshd = startSshd();
            transport = HostsTransport.wrap(new LineTransport(), List.of(Host.parse(sshd.server(0).uri())),
                    options(sshd).connectionSharing(host.equals("ssh-shared")).build());
        }

        /**
         * Stops sshd, if it was started; its sessions, and the shared connection with them, end.
         *
         * @throws IOException if the server's files cannot be deleted
         * @throws InterruptedException never (JMH does not interrupt)
         */
        @TearDown(Level.Trial)
        public void stop() throws IOException, InterruptedException {
            if (sshd != null) {
                sshd.close();
            }
        }
    }

    /**
     * The floor of a spawn over ssh: the plain client running {@code true} on the loopback sshd, through a
     * master connection of its own ({@code sharing=true}) or connecting each time; no transport, no wrapper.
     */
    @State(Scope.Benchmark)
    public static class SshFloor {
        /** Whether the client goes through a master connection ({@code ControlMaster}). */
        @Param({"true", "false"})
        public boolean sharing;
        SshHosts sshd;
        List<String> trueOverSsh;

        /**
         * Starts sshd and, with sharing, the master connection; checks one run of {@code true}.
         *
         * @throws IOException if the server's files cannot be written or ssh cannot be started
         * @throws InterruptedException never (JMH does not interrupt)
         */
        @Setup(Level.Trial)
        public void start() throws IOException, InterruptedException {
            sshd = startSshd();
            String socket = sharing ? sshd.dir().resolve("master").toString() : "none";
            if (sharing) {
                // the master, as the transport starts its own: detached (-f), no command (-N), gone with sshd at
                // the end of the trial; no -M besides ControlMaster=yes, which together mean "ask" (and refuse)
                run(command(List.of("-o", "ControlMaster=yes", "-o", "ControlPath=" + socket, "-o", "ControlPersist=60",
                        "-N", "-f"), List.of()));
            }
            trueOverSsh = command(List.of("-o", "ControlMaster=no", "-o", "ControlPath=" + socket), List.of("true"));
            // silent with LogLevel ERROR; a master that refuses the session says so and ssh connects on its own
            String said = run(trueOverSsh);
            if (!said.isEmpty()) {
                throw new IllegalStateException(String.join(" ", trueOverSsh) + " printed '" + said.strip()
                        + "': the floor would not measure what it names");
            }
        }

        /** {@return {@code ssh OPTIONS user@address REMOTE} for the loopback server and its client configuration} */
        private List<String> command(List<String> options, List<String> remote) {
            Sshd s = sshd.server(0);
            List<String> argv = new ArrayList<>(List.of("ssh", "-F", sshd.clientConfig().toString(), "-T",
                    "-o", "BatchMode=yes", "-p", Integer.toString(s.port())));
            argv.addAll(options);
            argv.add(System.getProperty("user.name") + "@" + s.address());
            argv.addAll(remote);
            return argv;
        }

        /**
         * Stops sshd; the master connection ends with it.
         *
         * @throws IOException if the server's files cannot be deleted
         * @throws InterruptedException never (JMH does not interrupt)
         */
        @TearDown(Level.Trial)
        public void stop() throws IOException, InterruptedException {
            if (sshd != null) {
                sshd.close();
            }
        }
    }

    /** Runs {@code argv} to the end and returns its output (stdout and stderr); fails with it unless it exits 0. */
    static String run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = p.waitFor();
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " exited with code " + status + ": " + out);
        }
        return out;
    }

    /**
     * @param s the pool
     * @return the result
     */
    @Benchmark
    public Object warmLocal(LocalPool s) {
        return s.pool.submit(Programs.METHOD, Programs.TEXT).join();
    }

    /**
     * @param s the pool
     * @return the result
     */
    @Benchmark
    public Object warmSsh(SshPool s) {
        return s.pool.submit(Programs.METHOD, Programs.TEXT).join();
    }

    /**
     * @param h the transport
     * @param spawned where the worker is left for the untimed stop
     * @return the first answer
     * @throws Exception if the start or the call fails
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3)
    @Measurement(iterations = 12)
    public String spawn(SpawnHost h, Spawned spawned) throws Exception {
        spawned.worker = h.transport.start(Programs.lineSpec("spawn", Programs.cat()));
        String answer = spawned.worker.call(new Call<>(Programs.METHOD, Programs.TEXT, String.class,
                NotificationListener.NONE)).get(20, TimeUnit.SECONDS);
        if (!Programs.TEXT.equals(answer)) {
            throw new IllegalStateException("the spawned cat answered '" + answer + "' instead of '" + Programs.TEXT + "'");
        }
        return answer;
    }

    /**
     * @param s the client's command and the server
     * @return what ssh printed (nothing)
     * @throws Exception if ssh fails
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 10)
    public String sshTrue(SshFloor s) throws Exception {
        return run(s.trueOverSsh);
    }
}
