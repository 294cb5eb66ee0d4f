package dev.warmpool.transport.stdio;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.api.WorkerStartException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerProcessTest {
    private final List<WorkerProcess> started = new ArrayList<>();
    private final List<Long> strays = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        started.forEach(WorkerProcess::kill);
        strays.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private WorkerProcess start(WorkerSpec spec) {
        WorkerProcess p = WorkerProcess.start(spec);
        started.add(p);
        return p;
    }

    private static BufferedReader lines(WorkerProcess p) {
        return new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8));
    }

    private static boolean setsidInUse() {
        return ProcessTree.HAS_PROC && Files.isExecutable(Path.of("/usr/bin/setsid"));
    }

    private static boolean gone(long pid) {
        return ProcessHandle.of(pid).map(ProcessTree::isGone).orElse(true);
    }

    @Test
    void environmentIsExactlyTheSpecsPlusTheWorkerMarker() throws Exception {
        WorkerProcess p = start(Specs.command("env").env("WARMPOOL_SENTINEL", "present").build());
        Set<String> names;
        try (BufferedReader r = lines(p)) {
            names = r.lines().map(l -> l.substring(0, l.indexOf('='))).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(new TreeSet<>(List.of("PATH", "WARMPOOL_SENTINEL", WorkerProcess.MARKER_VARIABLE)), names);
        assertEquals(0, p.onExit().get());

        WorkerProcess q = start(Specs.of("env"));
        try (BufferedReader r = lines(q)) {
            List<String> all = r.lines().toList();
            assertFalse(all.stream().anyMatch(l -> l.startsWith("WARMPOOL_SENTINEL=")), all.toString());
            assertFalse(all.stream().anyMatch(l -> l.startsWith("HOME=")), "the parent's environment leaked: " + all);
        }
    }

    @Test
    void theWorkerMarkerReplacesAValueFromTheSpec() throws Exception {
        WorkerProcess p = start(Specs.command("env").env(WorkerProcess.MARKER_VARIABLE, "forged").build());
        String marker;
        try (BufferedReader r = lines(p)) {
            marker = r.lines().filter(l -> l.startsWith(WorkerProcess.MARKER_VARIABLE + "=")).findFirst().orElseThrow();
        }
        assertTrue(marker.matches(WorkerProcess.MARKER_VARIABLE + "=[0-9]+-[0-9a-f]{8}\\.[0-9]+"), marker);
    }

    @Test
    void workingDirectoryIsHonoured(@TempDir Path dir) throws Exception {
        WorkerProcess p = start(Specs.command("pwd").directory(dir).build());
        try (BufferedReader r = lines(p)) {
            assertEquals(dir.toRealPath().toString(), r.readLine());
        }
    }

    @Test
    void relativeProgramIsResolvedInTheWorkingDirectory(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("hello.sh");
        Files.writeString(script, "#!/bin/sh\necho hello from script\n");
        assertTrue(script.toFile().setExecutable(true));
        WorkerProcess p = start(Specs.command("./hello.sh").directory(dir).build());
        try (BufferedReader r = lines(p)) {
            assertEquals("hello from script", r.readLine());
        }
    }

    @Test
    void pidIsTheWorkersOwnAndLeadsItsProcessGroup() throws Exception {
        WorkerProcess p = start(Specs.sh("echo $$; exec cat").build());
        BufferedReader r = lines(p);
        assertEquals(Long.toString(p.pid()), r.readLine());
        if (setsidInUse()) {
            ProcessTree.Stat st = ProcessTree.stat(p.pid()).orElseThrow();
            assertEquals(p.pid(), st.pgrp());
            assertEquals(p.pid(), st.session());
        }
        p.closeStdin();
        p.closeStdin();
        assertEquals(0, p.onExit().get());
    }

    @Test
    void processGroupCanBeTurnedOff() throws Exception {
        assumeTrue(ProcessTree.HAS_PROC);
        WorkerProcess p = start(Specs.sh("echo $$; exec cat").setting("processGroup", "false").build());
        assertEquals(Long.toString(p.pid()), lines(p).readLine());
        assertNotEquals(p.pid(), ProcessTree.stat(p.pid()).orElseThrow().pgrp());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkerProcess.start(Specs.command("cat").setting("processGroup", "maybe").build()));
        assertTrue(e.getMessage().contains("'maybe'"), e.getMessage());
    }

    @Test
    void missingProgramGivesAClearStartException() {
        WorkerStartException e = assertThrows(WorkerStartException.class,
                () -> WorkerProcess.start(Specs.of("nosuch-program-xyz")));
        assertTrue(e.getMessage().startsWith("cannot start worker w-1: program 'nosuch-program-xyz' not found"),
                e.getMessage());
        WorkerStartException abs = assertThrows(WorkerStartException.class,
                () -> WorkerProcess.start(Specs.of("/no/such/program")));
        assertTrue(abs.getMessage().startsWith("cannot start worker w-1: program '/no/such/program' not found"),
                abs.getMessage());
    }

    @Test
    void missingDirectoryGivesAClearStartExceptionNamingTheCommandOnce(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        WorkerStartException e = assertThrows(WorkerStartException.class,
                () -> WorkerProcess.start(Specs.command("cat", "-u").directory(missing).build()));
        assertEquals("cannot start worker w-1: working directory " + missing + " does not exist (command: cat -u; directory: "
                + missing + "); its stderr was empty", e.getMessage());
    }

    @Test
    void programNotFoundNamesTheCommandLineQuotedAndTheDirectory() {
        WorkerStartException e = assertThrows(WorkerStartException.class,
                () -> WorkerProcess.start(Specs.of("no-such-program-xyz", "-cp", "", "a b")));
        assertTrue(e.getMessage().contains("(command: no-such-program-xyz -cp '' 'a b'; directory: "), e.getMessage());
        assertEquals(1, e.getMessage().split("its stderr was empty", -1).length - 1, e.getMessage());
    }

    @Test
    void stderrTailKeepsTheLastLinesAndCutsLongOnes() throws Exception {
        WorkerProcess p = start(Specs.sh("for i in 1 2 3 4 5; do echo line$i >&2; done; "
                + "head -c 5000 /dev/zero | tr '\\0' y >&2; printf '\\r\\nlast\\r\\n' >&2").tailLines(3).build());
        p.onExit().get();
        assertTrue(p.awaitStderrClosed(Duration.ofSeconds(5)));
        List<String> tail = p.stderrTail();
        assertEquals(3, tail.size(), tail.toString());
        assertEquals("line5", tail.get(0));
        assertTrue(tail.get(1).startsWith("y".repeat(1000) + "..."), tail.get(1));
        assertTrue(tail.get(1).contains("4001 more bytes cut"), tail.get(1));
        assertEquals("last", tail.get(2));
    }

    @Test
    void stderrFloodDoesNotBlockTheWorker() throws Exception {
        WorkerProcess p = start(Specs.sh("head -c 20000000 /dev/zero | tr '\\0' x >&2; echo done").build());
        assertEquals("done", lines(p).readLine());
        assertEquals(0, p.onExit().get());
        assertTrue(p.awaitStderrClosed(Duration.ofSeconds(5)));
        assertEquals(1, p.stderrTail().size());
        assertTrue(p.stderrTail().get(0).length() < 1100);
    }

    @Test
    void killKillsAGrandchildThatHoldsStdout() throws Exception {
        WorkerProcess p = start(Specs.sh("sleep 300 & echo $!; wait").build());
        BufferedReader r = lines(p);
        long grandchild = Long.parseLong(r.readLine());
        strays.add(grandchild);
        assertTrue(ProcessHandle.of(grandchild).isPresent());
        p.kill();
        p.kill();
        assertEquals(137, p.onExit().get());
        await().atMost(Duration.ofSeconds(5)).until(() -> gone(grandchild));
        assertEquals(null, r.readLine(), "nothing holds stdout any more");
    }

    @Test
    void killFindsAReparentedGrandchildThroughTheProcessGroup() throws Exception {
        assumeTrue(setsidInUse());
        // the worker exits at once; the sleep is reparented and keeps the worker's stdout open
        WorkerProcess p = start(Specs.sh("sleep 300 & echo $!").build());
        BufferedReader r = lines(p);
        long grandchild = Long.parseLong(r.readLine());
        strays.add(grandchild);
        assertEquals(0, p.onExit().get());
        assertFalse(gone(grandchild));
        p.kill();
        await().atMost(Duration.ofSeconds(5)).until(() -> gone(grandchild));
        assertEquals(null, r.readLine());
    }

    @Test
    void stopClosesStdinAndAWellBehavedWorkerExits() throws Exception {
        WorkerProcess p = start(Specs.of("cat"));
        CompletableFuture<Integer> stop = p.stop(Duration.ofSeconds(5));
        assertEquals(0, stop.get());
        assertEquals(0, p.stop(Duration.ofSeconds(5)).get(), "idempotent");
        assertFalse(p.isAlive());
    }

    @Test
    void stopEscalatesToSigkillForAWorkerThatIgnoresTerm() throws Exception {
        WorkerProcess p = start(Specs.sh("trap '' TERM; echo trapped; while :; do sleep 0.1; done").build());
        assertEquals("trapped", lines(p).readLine());
        long t0 = System.nanoTime();
        int status = p.stop(Duration.ofMillis(300)).get();
        assertEquals(137, status, "killed by SIGKILL");
        assertTrue(System.nanoTime() - t0 >= 500_000_000L, "waited for both grace periods");
        assertTrue(p.onExit().isDone());
    }

    @Test
    void stopTerminatesDescendantsLeftAfterTheWorkerExited() throws Exception {
        WorkerProcess p = start(Specs.sh("sleep 300 & echo $!; read x; exit 0").build());
        long grandchild = Long.parseLong(lines(p).readLine());
        strays.add(grandchild);
        assertEquals(0, p.stop(Duration.ofSeconds(5)).get());
        assertTrue(gone(grandchild), "the grandchild was stopped too");
    }

    @Test
    void stopIsNotHeldUpByAWriterBlockedOnAFullPipe() throws Exception {
        WorkerProcess p = start(Specs.command("sleep", "30").build());
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                p.stdin().write(new byte[1 << 20]);
                p.stdin().flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, r -> new Thread(r, "test-writer").start());
        await().atMost(Duration.ofSeconds(5)).until(() -> blockedInWrite("test-writer"));
        assertEquals(143, p.stop(Duration.ofMillis(200)).get(), "SIGTERM after the grace, though stdin could not be closed");
        assertThrows(Exception.class, () -> writer.get(5, TimeUnit.SECONDS), "the blocked write fails once the worker is gone");
    }

    /** @return whether the named thread is inside a native write on a file descriptor (the full pipe) */
    private static boolean blockedInWrite(String name) {
        return Thread.getAllStackTraces().entrySet().stream().filter(e -> e.getKey().getName().equals(name))
                .flatMap(e -> java.util.Arrays.stream(e.getValue()))
                .anyMatch(f -> f.getClassName().equals("java.io.FileOutputStream") && f.isNativeMethod());
    }

    @Test
    void stopDoesNotBlockTheCaller() {
        WorkerProcess p = start(Specs.sh("trap '' TERM; while :; do sleep 0.1; done").build());
        long t0 = System.nanoTime();
        CompletableFuture<Integer> stop = p.stop(Duration.ofSeconds(1));
        assertTrue(System.nanoTime() - t0 < 500_000_000L);
        assertFalse(stop.isDone());
        p.kill();
        await().atMost(Duration.ofSeconds(5)).until(stop::isDone);
    }

    @Test
    void stdinAndStdoutCarryBytes() throws Exception {
        WorkerProcess p = start(Specs.of("cat"));
        p.stdin().write("ping\n".getBytes(StandardCharsets.UTF_8));
        p.stdin().flush();
        assertEquals("ping", lines(p).readLine());
        assertTrue(p.isAlive());
        assertEquals("w-1", p.id());
        assertTrue(p.toString().contains("w-1"));
    }

    @Test
    void exitStatusComesFromTheProcess() throws Exception {
        WorkerProcess p = start(Specs.sh("exit 7").build());
        assertEquals(7, p.onExit().get());
        assertFalse(p.isAlive());
    }

    @Test
    void parsesProcStatWithAwkwardNames() {
        ProcessTree.Stat st = ProcessTree.parse(42, "42 (a (b) c) S 1 40 39 0 -1 4194304");
        assertEquals(new ProcessTree.Stat(42, 'S', 1, 40, 39), st);
    }

    @Test
    void closedStdinMakesTheWorkerSeeEndOfFile() throws IOException, InterruptedException {
        WorkerProcess p = start(Specs.sh("cat; echo eof-seen").build());
        p.closeStdin();
        assertEquals("eof-seen", lines(p).readLine());
        assertTrue(p.onExit().join() == 0);
        p.awaitStderrClosed(Duration.ofSeconds(1));
    }
}
