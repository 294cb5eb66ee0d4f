package dev.warmpool.transport.hosts;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.spi.Call;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.core.WarmPool;
import dev.warmpool.testkit.sshd.SshHosts;
import dev.warmpool.testkit.sshd.Sshd;
import dev.warmpool.transport.jsonrpc.JsonRpcTransport;
import dev.warmpool.transport.stdio.LineTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Pools across two real OpenSSH servers on loopback addresses (127.0.0.2 and 127.0.0.3): workers spread
 * over both, a host that is killed mid-run fails its requests in flight once as crashes that name it and
 * its share goes to the other, it rejoins when it is back, and closing leaves no process on either host.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SshHostsTest {
    private SshHosts hosts;
    private Sshd a;
    private Sshd b;

    @BeforeAll
    void startServers() throws Exception {
        Optional<String> why = Sshd.unavailable();
        assumeTrue(why.isEmpty(), () -> "skipped: " + why.orElseThrow());
        hosts = SshHosts.start("127.0.0.2", "127.0.0.3");
        a = hosts.server(0);
        b = hosts.server(1);
    }

    @BeforeEach
    void bothServersRun() throws Exception {
        hosts.ensureRunning();
    }

    @AfterAll
    void stopServers() throws Exception {
        if (hosts != null) {
            hosts.close();
        }
    }

    private HostsOptions.Builder options() {
        return HostsOptions.builder().sshConfig(hosts.clientConfig())
                .downBackoff(Duration.ofMillis(300), Duration.ofSeconds(1)).remoteGrace(Duration.ofSeconds(1))
                // each test gets its own shared connections: a server killed by one test is no other's concern
                .controlPersist(Duration.ofSeconds(5));
    }

    private HostsTransport line(HostsOptions o) {
        return HostsTransport.wrap(new LineTransport(), List.of(Host.parse(a.uri()), Host.parse(b.uri())), o);
    }

    private static PoolConfig.Builder pool(HostsTransport t, List<String> argv) {
        return PoolConfig.builder().transport(t).command(argv).startTimeout(Duration.ofSeconds(20))
                .stopGrace(Duration.ofSeconds(1)).restartBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .healthCheckInterval(Duration.ZERO);
    }

    private static Map<String, Integer> workers(HostsTransport t) {
        return t.status().stream().collect(Collectors.toMap(HostStatus::host, HostStatus::workers));
    }

    @Test
    void lineWorkersSpreadOverBothHostsAnswerAndLeaveNothingBehindWhenThePoolCloses() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        HostsTransport t = line(options().build());
        try (WarmPool pool = WarmPool.start(pool(t, List.of("grep", "--line-buffered", "-e", "", "-e", token)).size(4).build())) {
            List<CompletableFuture<Object>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                answers.add(pool.submit("echo", "line " + i));
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("line " + i, answers.get(i).get(30, TimeUnit.SECONDS));
            }
            assertEquals(Map.of(a.uri(), 2, b.uri(), 2), workers(t));
            assertEquals(List.of(), t.status().stream().filter(s -> !s.up()).toList());
            assertTrue(!Procs.withArgument(token).isEmpty());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Procs.withArgument(token).isEmpty());
        assertEquals(Map.of(a.uri(), 0, b.uri(), 0), workers(t));
    }

    @Test
    void sshWorkersShowTheirHostsGetTheConfiguredEnvironmentAndDirectoryAndTheirSetsidEscapeesEndAtClose()
            throws Exception {
        String tag = UUID.randomUUID().toString();
        String value = "it's \"$HOME\" `id` " + tag + "\nline two";
        Path work = Files.createDirectories(hosts.dir().resolve("work dir 'q' $x"));
        HostsTransport t = line(options().build());
        // each worker leaves its process group at once (setsid, double fork), then answers with what it got
        List<String> argv = List.of("bash", "-c", "(setsid sleep 3600 &); while read -r l; do"
                + " printf '%s|%s|%s\\n' \"$(printf %s \"$GREETING\" | tr '\\n' '~')\" \"$(pwd)\" \"${SHELL:+login}\"; done");
        try (WarmPool pool = WarmPool.start(pool(t, argv).size(2).environment("GREETING", value).directory(work).build())) {
            String expected = value.replace('\n', '~') + "|" + work.toRealPath() + "|login";
            assertEquals(expected, pool.submit("x", "go").get(30, TimeUnit.SECONDS));
            assertEquals(expected, pool.submit("x", "go").get(30, TimeUnit.SECONDS));
            assertEquals(List.of(a.uri(), b.uri()), pool.healthCheck().workers().stream()
                    .map(w -> w.host().orElseThrow()).sorted().toList());
            assertEquals(Map.of(a.uri(), 1, b.uri(), 1), pool.metrics().workersByHost());
            await().atMost(Duration.ofSeconds(5)).until(() -> escapees("GREETING=" + value).size() == 2);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Procs.withEnvironmentEntry("GREETING=" + value).isEmpty());
    }

    /** {@return the {@code sleep 3600} processes that carry {@code entry}} */
    private static List<String> escapees(String entry) {
        return Procs.withEnvironmentEntry(entry).stream().filter(p -> p.endsWith(": sleep 3600")).toList();
    }

    @Test
    void aJsonRpcWorkerOverSshIsReadyOnlyOnceItAnsweredItsHandshakeAndStopsThere() throws Exception {
        Path worker = Path.of(SshHostsTest.class.getResource("/echo_worker.py").toURI());
        String token = "tok-" + UUID.randomUUID();
        HostsTransport t = HostsTransport.wrap(JsonRpcTransport.create(), List.of(Host.parse(a.uri())), options().build());
        Worker w = t.start(spec("w-1", List.of("python3", "-u", worker.toString(), token)));
        try {
            Object pid = w.call(new Call<>("pid", null, Object.class, NotificationListener.NONE)).get(10, TimeUnit.SECONDS);
            assertInstanceOf(Integer.class, pid);
            assertEquals(Map.of("x", 1), w.call(new Call<>("echo", Map.of("x", 1), Object.class, NotificationListener.NONE))
                    .get(10, TimeUnit.SECONDS));
            // the remote worker is a process of its own (this machine plays the host), not the local ssh client
            assertTrue(w.pid().isPresent() && w.pid().getAsLong() != ((Integer) pid).longValue());
            assertTrue(ProcessHandle.of((Integer) pid).isPresent());
        } finally {
            assertEquals(0, w.stop(Duration.ofSeconds(2)).get(10, TimeUnit.SECONDS));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> Procs.withArgument(token).isEmpty());
    }

    @Test
    void aHostKilledMidRunFailsItsRequestsInFlightOnceAsCrashesNamingItItsShareGoesToTheOtherAndItRejoins()
            throws Exception {
        String token = "tok-" + UUID.randomUUID();
        HostsTransport t = line(options().build());
        List<String> slowEcho = List.of("sh", "-c", "while IFS= read -r l; do sleep 0.1; printf '%s\\n' \"$l\"; done", token);
        try (WarmPool pool = WarmPool.start(pool(t, slowEcho).size(4).build())) {
            assertEquals(Map.of(a.uri(), 2, b.uri(), 2), workers(t));
            List<CompletableFuture<Object>> answers = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                answers.add(pool.submit("echo", "r" + i));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> answers.stream().filter(CompletableFuture::isDone).count() >= 8);
            a.kill();
            int crashed = 0;
            for (int i = 0; i < answers.size(); i++) {
                try {
                    assertEquals("r" + i, answers.get(i).get(40, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    WorkerCrashedException c = assertInstanceOf(WorkerCrashedException.class, e.getCause());
                    // a request handed to a worker there as the connection died is refused before it is sent
                    assertTrue(java.util.regex.Pattern.compile("worker w-\\d+@" + java.util.regex.Pattern.quote(a.label())
                            + " .*(while running|when the request was to be sent) .*\\(exit code 255\\).*", java.util.regex.Pattern.DOTALL).matcher(c.getMessage()).matches()
                            && c.getMessage().contains(RemoteScripts.PGID_PREFIX), c.getMessage());
                    crashed++;
                }
            }
            // only the two workers on the killed host held a request: each failed once, nothing was lost
            assertTrue(crashed >= 1 && crashed <= 2, crashed + " requests crashed");
            await().atMost(Duration.ofSeconds(20)).until(() -> workers(t).equals(Map.of(a.uri(), 0, b.uri(), 4)));
            HostStatus down = t.status().get(0);
            assertTrue(!down.up() && down.lastError().orElseThrow().contains(a.uri()), down.toString());
            assertEquals("after", pool.submit("echo", "after").get(10, TimeUnit.SECONDS));

            a.restart();
            // the next start is a probe of the host that came back, which has the fewest workers
            await().atMost(Duration.ofSeconds(5)).until(() -> t.status().get(0).downFor().isZero());
            Worker extra = t.start(spec("w-extra", slowEcho));
            try {
                assertEquals(Map.of(a.uri(), 1, b.uri(), 4), workers(t));
                assertTrue(t.status().get(0).up());
                assertEquals("hi", extra.call(new Call<>("x", "hi", String.class, NotificationListener.NONE)).get(10, TimeUnit.SECONDS));
            } finally {
                extra.stop(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Procs.withArgument(token).isEmpty());
    }

    @Test
    void stoppingARemoteWorkerThatIgnoresEndOfFileAndSigtermEndsItsWholeRemoteGroup() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        HostsTransport t = line(options().remoteGrace(Duration.ofMillis(4500)).build());
        Worker w = t.start(spec("w-1", List.of("sh", "-c", "trap '' TERM; while :; do sleep 1; done", token)));
        await().atMost(Duration.ofSeconds(5)).until(() -> Procs.withArgument(token).size() >= 3);
        // the pool's grace (0.5 s) is shorter than the wrapper's own (4.5 s): the second connection ends it
        w.stop(Duration.ofMillis(500)).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(3)).until(() -> Procs.withArgument(token).isEmpty());
    }

    @Test
    void aSharedConnectionThatWasKilledIsReplacedByTheNextStart() throws Exception {
        HostsOptions o = options().build();
        HostsTransport t = HostsTransport.wrap(new LineTransport(), List.of(Host.parse(a.uri())), o);
        Worker first = t.start(spec("w-1", List.of("cat")));
        first.stop(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
        Path socket = new SharedConnections(o).controlPath((Launcher.Ssh) Host.parse(a.uri()).launcher()).orElseThrow();
        assertTrue(Files.exists(socket));
        // the master, a detached "ssh -M -N -f", is the one process whose command line names the socket
        List<ProcessHandle> masters = ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                .map(args -> List.of(args).contains("ControlPath=" + socket) && List.of(args).contains("-N")).orElse(false)).toList();
        assertEquals(1, masters.size());
        masters.get(0).destroyForcibly();
        await().atMost(Duration.ofSeconds(5)).until(() -> !masters.get(0).isAlive());
        Worker second = t.start(spec("w-2", List.of("cat")));
        try {
            assertEquals("y", second.call(new Call<>("x", "y", String.class, NotificationListener.NONE)).get(10, TimeUnit.SECONDS));
            assertTrue(second.stderrTail().isEmpty(), second.stderrTail().toString());
            assertTrue(ProcessHandle.allProcesses().anyMatch(p -> p.isAlive() && p.info().arguments()
                    .map(args -> List.of(args).contains("ControlPath=" + socket) && List.of(args).contains("-N")).orElse(false)));
        } finally {
            second.stop(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutConnectionSharingEachWorkerConnectsOnItsOwnAnswersAndNoSharedConnectionIsMade() throws Exception {
        // the identity (the fixture's key, named again) makes these options' connection key differ from every
        // other test's, so a shared connection for it could only come from this test
        HostsOptions.Builder own = options().identity(hosts.dir().resolve("id"));
        Launcher.Ssh ssh = (Launcher.Ssh) Host.parse(a.uri()).launcher();
        Path socket = new SharedConnections(own.build()).controlPath(ssh).orElseThrow();
        HostsTransport t = HostsTransport.wrap(new LineTransport(), List.of(Host.parse(a.uri())),
                own.connectionSharing(false).build());
        for (int i = 1; i <= 2; i++) {
            Worker w = t.start(spec("w-" + i, List.of("cat")));
            try {
                assertEquals("x" + i, w.call(new Call<>("x", "x" + i, String.class, NotificationListener.NONE))
                        .get(10, TimeUnit.SECONDS));
                List<String> client = ProcessHandle.of(w.pid().orElseThrow()).orElseThrow().info().arguments()
                        .map(List::of).orElseThrow();
                assertTrue(client.contains("ControlPath=none") && client.contains("ControlMaster=no"), client.toString());
            } finally {
                w.stop(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
            }
        }
        assertTrue(!Files.exists(socket), socket + " exists");
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().arguments()
                .map(args -> List.of(args).contains("ControlPath=" + socket)).orElse(false)));
    }

    @Test
    void withoutAnyReachableHostAStartFailsNamingEachHostAndWhy() throws Exception {
        HostsTransport t = HostsTransport.wrap(new LineTransport(),
                List.of(Host.parse("ssh://127.0.0.4:1"), Host.parse("ssh://nobody@127.0.0.5:1")), options().build());
        dev.warmpool.api.WorkerStartException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.warmpool.api.WorkerStartException.class, () -> t.start(spec("w-1", List.of("cat"))));
        assertTrue(e.getMessage().startsWith("cannot start worker w-1 on any host: ssh://127.0.0.4:1 failed: host ssh://127.0.0.4:1: ssh exited with code 255"),
                e.getMessage());
        assertTrue(e.getMessage().contains("; ssh://nobody@127.0.0.5:1 failed: "), e.getMessage());
        assertTrue(t.status().stream().noneMatch(HostStatus::up));
        assertEquals(List.of(0, 0), t.status().stream().map(HostStatus::workers).toList());
    }

    static WorkerSpec spec(String id, List<String> argv) {
        return new WorkerSpec(id, argv, Map.of("PATH", System.getenv("PATH"), "HOME", System.getProperty("user.home")),
                Optional.empty(), Duration.ofSeconds(20), 1 << 20, false, 20, Map.of());
    }
}
