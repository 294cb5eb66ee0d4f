package dev.warmpool.handler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.testkit.ProcessAudit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Cold runs with scripts for the CLI: deadlines, bounded output, shutdown, and no process left behind. */
class ColdRunnerTest {
    @TempDir
    Path dir;

    private ColdRunner runner(Path program, Duration timeout, int max, int outputBytes, int stderrLines) {
        return new ColdRunner(List.of(program.toString(), "--model", "x"), Map.of("PATH", System.getenv("PATH")), dir,
                timeout, max, outputBytes, stderrLines);
    }

    private static ColdRun get(CompletableFuture<ColdRun> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void noProcessLeft() throws InterruptedException {
        ProcessAudit.assertNoDescendants(Duration.ofSeconds(10));
    }

    @Test
    void theArgvIsTheCommandThenThePromptForOneJsonResult() throws Exception {
        ColdRunner r = runner(Path.of("/opt/claude"), Duration.ofSeconds(1), 1, 100, 5);
        assertEquals(List.of("/opt/claude", "--model", "x", "-p", "/triage {\"id\":1}", "--output-format", "json"),
                r.argv(HandlerEvent.of("triage", Map.of("id", 1))));
    }

    @Test
    @Timeout(30)
    void aRunIsReadFromItsOutputWithItsLastStderrLines() throws Exception {
        Path cli = Scripts.script(dir, "cli", "for i in 1 2 3 4 5 6 7 8; do echo \"line $i\" >&2; done\n"
                + "echo '" + Scripts.resultJson("ok") + "'");
        ColdRun run = get(runner(cli, Duration.ofSeconds(20), 1, 10_000, 5).run(HandlerEvent.of("triage", null)));
        assertEquals(ColdRun.End.EXITED, run.end(), run.toString());
        assertEquals(0, run.exitCode());
        assertEquals(Scripts.resultJson("ok"), run.stdout().strip());
        assertEquals(List.of("[3 earlier lines not kept]", "line 4", "line 5", "line 6", "line 7", "line 8"), run.stderr());
    }

    @Test
    @Timeout(30)
    void outputBeyondTheLimitIsReadToTheEndButNotKept() throws Exception {
        Path cli = Scripts.script(dir, "cli", "head -c 200000 /dev/zero | tr '\\0' 'x'; echo 'done' >&2");
        ColdRun run = get(runner(cli, Duration.ofSeconds(20), 1, 100, 5).run(HandlerEvent.of("triage", null)));
        assertEquals(ColdRun.End.EXITED, run.end(), run.toString());
        assertEquals(100, run.stdout().length());
        assertEquals(List.of("done"), run.stderr());
    }

    @Test
    @Timeout(30)
    void aRunPastTheTimeoutIsKilledWithItsChildren() throws Exception {
        Path cli = Scripts.script(dir, "cli", "sleep 60 &\necho \"child $!\" >&2\nsleep 60");
        ColdRun run = get(runner(cli, Duration.ofMillis(1500), 1, 100, 5).run(HandlerEvent.of("triage", null)));
        assertEquals(ColdRun.End.TIMED_OUT, run.end(), run.toString());
        assertTrue(run.detail().startsWith("the request timeout of 1500 ms (HANDLER_REQUEST_TIMEOUT) passed; the CLI (pid "),
                run.detail());
        long child = Long.parseLong(run.stderr().get(0).substring("child ".length()));
        assertTrue(ProcessAudit.awaitGone(child, Duration.ofSeconds(5)), "the run's child " + child + " was killed");
    }

    @Test
    @Timeout(30)
    void aProgramThatCannotBeStartedSaysWhich() throws Exception {
        ColdRun run = get(runner(dir.resolve("no-such-claude"), Duration.ofSeconds(5), 1, 100, 5)
                .run(HandlerEvent.of("triage", null)));
        assertEquals(ColdRun.End.NOT_STARTED, run.end());
        assertTrue(run.detail().startsWith("'" + dir.resolve("no-such-claude") + "' could not be started: "), run.detail());
    }

    @Test
    @Timeout(30)
    void shutdownKillsTheRunningRunsAndEndsTheWaitingOnes() throws Exception {
        Path cli = Scripts.script(dir, "cli", "sleep 60");
        ColdRunner r = runner(cli, Duration.ofSeconds(60), 1, 100, 5);
        CompletableFuture<ColdRun> running = r.run(HandlerEvent.of("triage", Map.of("n", 1)));
        CompletableFuture<ColdRun> waiting = r.run(HandlerEvent.of("triage", Map.of("n", 2)));
        await().atMost(Duration.ofSeconds(10)).until(r::running, n -> n == 1);

        assertEquals(false, r.shutdown(Duration.ZERO), "a run did not finish within the grace");
        ColdRun killed = get(running);
        assertEquals(ColdRun.End.SHUT_DOWN, killed.end());
        assertTrue(killed.detail().startsWith("the handler pool shut down while the event ran cold; the CLI (pid "),
                killed.detail());
        assertEquals(ColdRun.End.SHUT_DOWN, get(waiting).end());
        assertEquals("the handler pool is shut down", get(r.run(HandlerEvent.of("triage", null))).detail());
    }
}
