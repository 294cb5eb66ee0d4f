package dev.warmpool.transport.stdio;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A JVM that dies by SIGKILL leaves nothing behind: a child JVM ({@link HostileWorkersMain}) starts
 * a worker that ignores end-of-file and SIGTERM, one that stopped reading its stdin, one whose
 * grandchild escaped with a double fork and {@code setsid}, and a compliant one with a
 * {@code sleep} child; it is SIGKILLed, and every one of those processes must be gone within 2 s.
 * Once per mechanism that the watchdog uses.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JvmDeathTest {
    private static final Duration GONE_WITHIN = Duration.ofSeconds(2);

    private Process child;
    private final Map<String, Long> pids = new LinkedHashMap<>();
    private Optional<Path> cgroup = Optional.empty();

    @AfterEach
    void cleanUp() {
        if (child != null) {
            child.destroyForcibly();
        }
        pids.values().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        cgroup.ifPresent(dir -> await().atMost(Duration.ofSeconds(5)).until(() -> Cgroup.remove(dir)));
    }

    /** Starts the child JVM with {@code properties} and reads what it started. */
    private void startChild(String... properties) throws Exception {
        assumeTrue(ProcessTree.HAS_PROC, "needs /proc");
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseGet(
                () -> Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx64m"));
        argv.addAll(List.of(properties));
        argv.addAll(List.of("-cp", System.getProperty("java.class.path"), HostileWorkersMain.class.getName()));
        child = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("pids ")) {
                for (String kv : line.substring(5).split(" ")) {
                    pids.put(kv.substring(0, kv.indexOf('=')), Long.parseLong(kv.substring(kv.indexOf('=') + 1)));
                }
            } else if (line.startsWith("cgroup ")) {
                String dir = line.substring(7);
                cgroup = dir.equals("none") ? Optional.empty() : Optional.of(Path.of(dir));
                break;
            }
        }
        assertEquals(List.of("ignoresTerm", "deaf", "escaping", "escapee", "compliant", "child"),
                List.copyOf(pids.keySet()), "the child JVM printed " + pids);
        pids.forEach((kind, pid) -> assertFalse(ContainmentTest.gone(pid), kind + " " + pid + " is not running"));
    }

    private void killChildAndAwaitGone(List<String> kinds) throws Exception {
        child.toHandle().destroyForcibly();
        assertEquals(137, child.waitFor());
        for (String kind : kinds) {
            long pid = pids.get(kind);
            await().alias(kind + " " + pid).atMost(GONE_WITHIN).until(() -> ContainmentTest.gone(pid));
        }
    }

    @Test
    void everyWorkerAndDescendantDiesWithTheJvmThroughTheCgroup() throws Exception {
        // without the marker, only the cgroup can find the escapee
        startChild("-D" + WorkerProcess.MARKER_PROPERTY + "=false");
        assumeTrue(cgroup.isPresent(), "no writable cgroup v2 here");
        assertTrue(Files.isDirectory(cgroup.get()));
        killChildAndAwaitGone(List.copyOf(pids.keySet()));
        await().atMost(GONE_WITHIN).until(() -> !Files.exists(cgroup.get()));
    }

    @Test
    void everyWorkerAndDescendantDiesWithTheJvmThroughTheEnvironmentMarker() throws Exception {
        startChild("-D" + WorkerProcess.CGROUP_PROPERTY + "=false");
        assertEquals(Optional.empty(), cgroup);
        killChildAndAwaitGone(List.copyOf(pids.keySet()));
    }

    @Test
    void workersAndTheirProcessGroupsDieWithTheJvmThroughTheTrackedGroups() throws Exception {
        // neither cgroup nor marker: the watchdog has the process groups only, which the escapee left
        startChild("-D" + WorkerProcess.CGROUP_PROPERTY + "=false", "-D" + WorkerProcess.MARKER_PROPERTY + "=false");
        killChildAndAwaitGone(List.of("ignoresTerm", "deaf", "escaping", "compliant", "child"));
    }

    @Test
    void withoutTheWatchdogWorkersThatIgnoreEndOfFileOutliveTheJvm() throws Exception {
        // the control: what the tests above see gone is the watchdog's doing, not end-of-file's
        startChild("-D" + WorkerProcess.WATCHDOG_PROPERTY + "=false");
        child.toHandle().destroyForcibly();
        child.waitFor();
        await().atMost(Duration.ofSeconds(10)).until(() -> ContainmentTest.gone(pids.get("compliant")));
        assertFalse(ContainmentTest.gone(pids.get("ignoresTerm")));
        assertFalse(ContainmentTest.gone(pids.get("deaf")));
    }
}
