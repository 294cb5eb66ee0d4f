package dev.warmpool.transport.stdio;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.warmpool.api.WorkerStartException;
import dev.warmpool.api.spi.WorkerSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The containment mechanisms one at a time, in this JVM, with real processes: the cgroup a worker
 * joins, the environment marker, and the watchdog (whose pipe {@link Containment#close()} closes
 * the way the JVM's death would).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ContainmentTest {
    /** A worker whose grandchild leaves its session and process group and closes its pipes. */
    static final String ESCAPEE = "(setsid sleep 3600 </dev/null >/dev/null 2>&1 & echo $!); exec cat";
    private static final Duration GONE_WITHIN = Duration.ofSeconds(2);

    private final List<WorkerProcess> started = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();
    private final List<Containment> containments = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        started.forEach(WorkerProcess::kill);
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        containments.forEach(Containment::close);
    }

    private Containment containment(boolean cgroup, boolean marker) {
        assumeTrue(ProcessTree.HAS_PROC, "needs /proc");
        Containment c = new Containment(new Containment.Options(cgroup, Optional.empty(), true, marker));
        containments.add(c);
        return c;
    }

    /** A containment with a cgroup; skips the test where this machine has no writable cgroup v2. */
    private Containment withCgroup() {
        Containment c = containment(true, true);
        WorkerProcess probe = start(Specs.of("true"), c);
        assumeTrue(c.cgroup().isPresent(), "no writable cgroup v2 here");
        probe.kill();
        // the killed probe's cgroup is released in the background once empty: wait, so that each
        // test starts with no worker cgroup but its own. With no worker left the JVM's directory
        // itself goes too, 200 ms later (the next worker makes it again): a slow poll finds none
        Path dir = c.cgroup().orElseThrow();
        await().atMost(GONE_WITHIN).until(() -> {
            try (var children = Files.list(dir)) {
                return children.noneMatch(Files::isDirectory);
            } catch (NoSuchFileException e) {
                return true;
            }
        });
        return c;
    }

    private Containment of(String mode) {
        return mode.equals("cgroup") ? withCgroup() : containment(false, true);
    }

    private WorkerProcess start(WorkerSpec spec, Containment c) {
        WorkerProcess p = WorkerProcess.start(spec, c);
        started.add(p);
        pids.add(p.pid());
        return p;
    }

    private static BufferedReader lines(WorkerProcess p) {
        return new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8));
    }

    private long readPid(BufferedReader r) throws Exception {
        long pid = Long.parseLong(r.readLine().strip());
        pids.add(pid);
        return pid;
    }

    /**
     * Reads the pid the {@link #ESCAPEE} script prints and waits until the escapee's parent (the
     * subshell) has exited, so it is no longer a descendant of the worker: then only what this test
     * is about can find it.
     */
    private long escapee(WorkerProcess p) throws Exception {
        long pid = readPid(lines(p));
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(p.pid())
                .map(h -> h.descendants().noneMatch(d -> d.pid() == pid)).orElse(true));
        assertFalse(gone(pid));
        return pid;
    }

    static boolean gone(long pid) {
        return ProcessHandle.of(pid).map(ProcessTree::isGone).orElse(true);
    }

    private static Map<String, String> env(WorkerProcess p) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (BufferedReader r = lines(p)) {
            r.lines().forEach(l -> out.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        }
        return out;
    }

    @Test
    void workerJoinsItsOwnCgroupBeforeTheProgramRuns() throws Exception {
        Containment c = withCgroup();
        WorkerProcess p = start(Specs.sh("cat /proc/self/cgroup; exec cat").build(), c);
        String line = lines(p).lines().filter(l -> l.startsWith("0::")).findFirst().orElseThrow();
        assertTrue(line.matches("0::.*/" + Cgroup.PREFIX + c.token() + "/w[0-9]+"), line);
        assertTrue(Cgroup.members(c.cgroup().orElseThrow()).contains(p.pid()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cgroup", "marker"})
    void theLauncherAddsOnlyTheMarkerToTheEnvironment(String mode) throws Exception {
        Containment c = of(mode);
        WorkerProcess p = start(Specs.command("env").env("GREETING", "hi").build(), c);
        Map<String, String> env = env(p);
        assertEquals(List.of("GREETING", "PATH", WorkerProcess.MARKER_VARIABLE), List.copyOf(env.keySet()));
        assertTrue(env.get(WorkerProcess.MARKER_VARIABLE).matches(c.token().replace("-", "\\-") + "\\.[0-9]+"),
                env.toString());
    }

    @Test
    void theSpecsValuesOfVariablesAShellSetsSurviveTheLauncher() throws Exception {
        Containment c = withCgroup();
        WorkerProcess p = start(Specs.command("env").env("PWD", "/nowhere").env("SHLVL", "7").build(), c);
        Map<String, String> env = env(p);
        assertEquals("/nowhere", env.get("PWD"));
        assertEquals("7", env.get("SHLVL"));
        assertFalse(env.containsKey("OLDPWD"), env.toString());
    }

    @Test
    void argumentsPassTheLauncherUninterpreted() throws Exception {
        Containment c = withCgroup();
        String hostile = "$HOME `id` \"q\" 'x' ; exit 3 $(echo no) \\ *";
        WorkerProcess p = start(Specs.command("printf", "%s|%s\\n", hostile, "A=b").build(), c);
        assertEquals(hostile + "|A=b", lines(p).readLine());
        assertEquals(0, p.onExit().get());
    }

    @ParameterizedTest
    @CsvSource({"cgroup, stop", "cgroup, kill", "marker, stop", "marker, kill"})
    void stopAndKillEndADescendantThatLeftTheSessionWithSetsid(String mode, String how) throws Exception {
        Containment c = of(mode);
        WorkerProcess p = start(Specs.sh(ESCAPEE).build(), c);
        long escapee = escapee(p);
        if (how.equals("stop")) {
            assertEquals(0, p.stop(Duration.ofMillis(200)).get(), "cat exits on end-of-file");
        } else {
            p.kill();
        }
        await().atMost(GONE_WITHIN).until(() -> gone(escapee) && gone(p.pid()));
    }

    @Test
    void withoutCgroupOrMarkerASetsidEscapeeIsNotFound() throws Exception {
        // the control for the two tests above: the process-group kill alone cannot see it
        Containment c = containment(false, false);
        WorkerProcess p = start(Specs.sh(ESCAPEE).build(), c);
        long escapee = escapee(p);
        p.kill();
        assertEquals(137, p.onExit().get());
        assertFalse(gone(escapee), "found without cgroup or marker after all");
    }

    @Test
    void aReleasedWorkerLeavesNoCgroupAndTheIdleWatchdogExits() throws Exception {
        Containment c = withCgroup();
        WorkerProcess p = start(Specs.of("cat"), c);
        long watchdog = c.watchdog().orElseThrow().pid().orElseThrow();
        Path dir = c.cgroup().orElseThrow();
        List<String> leaves;
        try (var children = Files.list(dir)) {
            leaves = children.filter(Files::isDirectory).map(d -> d.getFileName().toString()).toList();
        }
        assertEquals(1, leaves.size(), leaves.toString());
        assertEquals(0, p.stop(Duration.ofSeconds(2)).get());
        await().atMost(GONE_WITHIN).until(() -> gone(watchdog) && !Files.exists(dir));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cgroup", "marker"})
    void theWatchdogKillsEverythingWhenItsPipeCloses(String mode) throws Exception {
        Containment c = of(mode);
        WorkerProcess hostile = start(Specs.sh("trap '' TERM; echo up; exec sleep 3600").build(), c);
        assertEquals("up", lines(hostile).readLine());
        WorkerProcess escaping = start(Specs.sh(ESCAPEE).build(), c);
        long escapee = escapee(escaping);
        long watchdog = c.watchdog().orElseThrow().pid().orElseThrow();
        Optional<Path> dir = c.cgroup();
        c.close();
        await().atMost(GONE_WITHIN).until(() -> gone(hostile.pid()) && gone(escaping.pid()) && gone(escapee));
        await().atMost(GONE_WITHIN).until(() -> gone(watchdog) && dir.map(d -> !Files.exists(d)).orElse(true));
    }

    @Test
    void theWatchdogKillsTheProcessGroupsItTracks() throws Exception {
        Containment c = containment(false, false);
        WorkerProcess p = start(Specs.sh("trap '' TERM; sleep 3600 & echo $!; exec sleep 3600").build(), c);
        long child = readPid(lines(p));
        assertEquals(p.pid(), ProcessTree.stat(child).orElseThrow().pgrp(), "the child is in the worker's group");
        c.close();
        await().atMost(GONE_WITHIN).until(() -> gone(p.pid()) && gone(child));
    }

    @Test
    void aCgroupTheUserNamedThatCannotHoldWorkersFailsTheStartSayingWhy(@TempDir Path dir) {
        assumeTrue(ProcessTree.HAS_PROC);
        Containment c = new Containment(new Containment.Options(true, Optional.of(dir), true, true));
        containments.add(c);
        WorkerStartException e = assertThrows(WorkerStartException.class, () -> start(Specs.of("cat"), c));
        assertTrue(e.getMessage().startsWith("cannot start worker w-1: system property warmpool.cgroup names " + dir
                + ", which cannot hold workers: "), e.getMessage());
        assertTrue(e.getMessage().contains("not a cgroup v2 directory"), e.getMessage());
    }

    @Test
    void badSystemPropertyValuesAreRejectedWithTheValue() {
        assertEquals("system property warmpool.watchdog is 'maybe', but must be true or false",
                optionsError(Containment.WATCHDOG_PROPERTY, "maybe"));
        assertEquals("system property warmpool.workerMarker is 'no', but must be true or false",
                optionsError(Containment.MARKER_PROPERTY, "no"));
        assertEquals("system property warmpool.cgroup is 'relative/dir', but must be auto, false or the absolute "
                + "path of a cgroup v2 directory", optionsError(Containment.CGROUP_PROPERTY, "relative/dir"));
    }

    /** @return the message with which the options reject {@code value} for {@code property} */
    private static String optionsError(String property, String value) {
        String old = System.getProperty(property);
        System.setProperty(property, value);
        try {
            return assertThrows(IllegalArgumentException.class, Containment.Options::fromSystemProperties).getMessage();
        } finally {
            if (old == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, old);
            }
        }
    }

    @Test
    void environmentEntriesMatchWholeEntriesOnly() {
        byte[] env = "A=1\0WARMPOOL_WORKER=9-ab.12\0B=2".getBytes(StandardCharsets.UTF_8);
        assertTrue(ProcessTree.hasEntry(env, "WARMPOOL_WORKER=9-ab.12\0".getBytes(StandardCharsets.UTF_8)));
        assertFalse(ProcessTree.hasEntry(env, "WARMPOOL_WORKER=9-ab.1\0".getBytes(StandardCharsets.UTF_8)));
        assertTrue(ProcessTree.hasEntry(env, "B=2\0".getBytes(StandardCharsets.UTF_8)), "the last entry lacks its NUL");
        assertFalse(ProcessTree.hasEntry(env, "=1\0".getBytes(StandardCharsets.UTF_8)));
        assertTrue(ProcessTree.hasEntry(env, "A=1\0".getBytes(StandardCharsets.UTF_8)));
    }
}
