package dev.warmpool.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.testkit.EchoWorker;
import dev.warmpool.testkit.TestWorkers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real pool of echo workers under a Flight Recorder recording: what a user sees in the recording
 * ({@code jfr print --events dev.warmpool.Request ...}), read back from the file.
 */
@Timeout(120)
class JfrEventsTest {
    private static final String START = "dev.warmpool.WorkerStart";
    private static final String EXIT = "dev.warmpool.WorkerExit";
    private static final String REQUEST = "dev.warmpool.Request";
    private static final String SCALED = "dev.warmpool.PoolScaled";

    private static PoolConfig.Builder echoPool() {
        return PoolConfig.builder().command(TestWorkers.java(EchoWorker.class)).size(1).maxSize(2)
                .scalingInterval(Duration.ZERO).noShutdownHook();
    }

    @Test
    void aRecordedRunHasEachStartExitRequestAndResizeWithItsNumbers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.jfr");
        long firstPid;
        long secondPid;
        try (Recording recording = new Recording()) {
            for (String name : List.of(START, EXIT, REQUEST, SCALED)) {
                recording.enable(name);
            }
            recording.start();
            try (WarmPool pool = WarmPool.start(echoPool().build())) {
                firstPid = pool.workerPids().getFirst();
                assertEquals(Map.of("x", 1), pool.submit("echo", Map.of("x", 1)).join());
                assertThrows(CompletionException.class,
                        () -> pool.submit("fail", Map.of("code", -32001, "message", "no such order")).join());
                // the worker exits with status 3 in the middle of the request
                assertThrows(CompletionException.class, () -> pool.submit("exit", Map.of("code", 3)).join());
                await().atMost(Duration.ofSeconds(30)).until(() -> pool.metrics().idle() == 1);
                secondPid = pool.workerPids().getFirst();
                pool.submit("echo", List.of("proven")).join(); // so that its death below is a crash, not a failed start
                ProcessHandle.of(secondPid).orElseThrow().destroyForcibly();
                await().atMost(Duration.ofSeconds(30)).until(() -> pool.metrics().idle() == 1
                        && !pool.workerPids().contains(secondPid));
                pool.scale(2);
                await().atMost(Duration.ofSeconds(30)).until(() -> pool.metrics().idle() == 2);
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> all = RecordingFile.readAllEvents(file);
        List<RecordedEvent> requests = named(all, REQUEST);
        assertEquals(4, requests.size(), requests.toString());
        int pool = requests.getFirst().getInt("pool");
        List<RecordedEvent> ours = all.stream().filter(e -> e.getInt("pool") == pool).toList();

        RecordedEvent echo = requests.get(0);
        assertEquals("echo", echo.getString("method"));
        assertEquals("success", echo.getString("outcome"));
        assertNull(echo.getString("failure"));
        assertEquals("w-1", echo.getString("worker"));
        assertEquals(firstPid, echo.getLong("pid"));
        assertTrue(echo.getDuration("runTime").toNanos() > 0, echo.toString());
        assertFalse(echo.getDuration("queueWait").isNegative(), echo.toString());
        RecordedEvent fail = requests.get(1);
        assertEquals("worker_error", fail.getString("outcome"));
        assertTrue(fail.getString("failure").contains("no such order"), fail.toString());
        RecordedEvent exit = requests.get(2);
        assertEquals("exit", exit.getString("method"));
        assertEquals("crashed", exit.getString("outcome"));
        assertEquals("w-1", exit.getString("worker"));

        List<RecordedEvent> starts = named(ours, START);
        assertEquals(Set.of("initial", "crash", "scale"),
                starts.stream().map(e -> e.getString("cause")).collect(Collectors.toSet()), starts.toString());
        for (RecordedEvent s : starts) {
            assertTrue(s.getLong("pid") > 0, s.toString());
            assertNull(s.getString("failure"), s.toString());
            assertEquals(TestWorkers.javaBinary(), s.getString("program"));
            assertTrue(s.getDuration().toNanos() > 0, "the start is timed: " + s);
        }
        assertEquals(firstPid, starts.getFirst().getLong("pid"));

        Map<String, RecordedEvent> exits = named(ours, EXIT).stream()
                .collect(Collectors.toMap(e -> e.getString("worker"), e -> e));
        RecordedEvent crashed = exits.get("w-1");
        assertEquals(3, crashed.getInt("exitStatus"));
        assertEquals(0, crashed.getInt("signal"));
        assertFalse(crashed.getBoolean("expected"));
        assertEquals("crash", crashed.getString("cause"));
        assertTrue(crashed.getInt("requestsServed") >= 2, crashed.toString()); // the exit request may count too
        assertTrue(crashed.getDuration("lifetime").toNanos() > 0, crashed.toString());
        RecordedEvent killed = exits.get("w-2");
        assertEquals(secondPid, killed.getLong("pid"));
        assertEquals(128 + 9, killed.getInt("exitStatus"));
        assertEquals(9, killed.getInt("signal"));
        assertFalse(killed.getBoolean("expected"));
        assertEquals(1, killed.getInt("requestsServed"));
        List<RecordedEvent> atShutdown = exits.values().stream()
                .filter(e -> e.getString("cause").equals("the pool shut down")).toList();
        assertEquals(2, atShutdown.size(), exits.toString());
        assertTrue(atShutdown.stream().allMatch(e -> e.getBoolean("expected")), atShutdown.toString());

        List<RecordedEvent> scaled = named(ours, SCALED);
        assertEquals(1, scaled.size(), scaled.toString());
        assertEquals(1, scaled.getFirst().getInt("from"));
        assertEquals(2, scaled.getFirst().getInt("to"));
        assertEquals("scale()", scaled.getFirst().getString("reason"));
    }

    @Test
    void aRecordingThatTurnsRequestsOffGetsNoRequestEventsAndThePoolCreatesNone(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("quiet.jfr");
        try (Recording recording = new Recording()) {
            recording.enable(START);
            recording.enable(EXIT);
            recording.disable(REQUEST);
            recording.start();
            assertFalse(JfrEvents.requestsOn(), "a running recording that leaves dev.warmpool.Request off");
            try (WarmPool pool = WarmPool.start(echoPool().build())) {
                for (int i = 0; i < 3; i++) {
                    pool.submit("echo", List.of(i)).join();
                }
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> all = RecordingFile.readAllEvents(file);
        assertTrue(named(all, REQUEST).isEmpty(), named(all, REQUEST).toString());
        assertFalse(named(all, START).isEmpty(), "the other events are still recorded");
        assertFalse(named(all, EXIT).isEmpty(), "the other events are still recorded");
    }

    @Test
    void requestEventsAreWantedOnlyWhileARecordingThatEnablesThemRuns() {
        try (Recording recording = new Recording()) {
            recording.enable(REQUEST);
            assertFalse(JfrEvents.requestsOn(), "created, not started");
            recording.start();
            assertTrue(JfrEvents.requestsOn());
            recording.stop();
            assertFalse(JfrEvents.requestsOn(), "stopped");
        }
    }

    /** @return the events of that name, oldest first (a recording's file is ordered by thread buffer, not time) */
    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name))
                .sorted(Comparator.comparing(RecordedEvent::getStartTime)).toList();
    }
}
