package dev.warmpool.transport.hosts;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The remote wrapper run here with {@code sh} (what sshd would run): it reports its process group,
 * prints the ready line once the program runs, passes arguments unchanged, exits with the program's
 * status, and when its stdin ends kills even a program that ignores end-of-file and SIGTERM.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RemoteWrapperTest {
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
        started.forEach(Process::destroyForcibly);
    }

    private Process wrapper(String marker, long graceTenths, List<String> argv) throws Exception {
        Process p = new ProcessBuilder(RemoteScripts.wrap(marker, graceTenths, argv)).start();
        started.add(p);
        return p;
    }

    @Test
    void reportsItsOwnProcessGroupPrintsTheReadyLineAndPassesArgumentsUnchanged() throws Exception {
        List<String> hostile = List.of("it's", "a \"b\"", "$HOME", "`id`", "", "; rm -rf /", "\\n");
        List<String> argv = new ArrayList<>(List.of("printf", "%s|"));
        argv.addAll(hostile);
        Process p = wrapper(RemoteScripts.READY_MARKER, 10, argv);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        String first = err.readLine();
        assertTrue(first.startsWith(RemoteScripts.PGID_PREFIX), first);
        String[] words = first.substring(RemoteScripts.PGID_PREFIX.length()).split(" ");
        long pgid = Long.parseLong(words[0]);
        assertEquals(List.of("on", java.net.InetAddress.getLocalHost().getHostName()), List.of(words[1], words[2]));
        assertTrue(pgid != ProcessHandle.current().pid());
        assertEquals(RemoteScripts.READY_MARKER, out.readLine());
        assertEquals(String.join("|", hostile) + "|", out.readLine());
        p.getOutputStream().close();
        assertEquals(0, p.waitFor());
    }

    @Test
    void exitsWithTheProgramsStatusAndSays127ForAProgramThatIsNotThere() throws Exception {
        Process p = wrapper("", 10, List.of("sh", "-c", "exit 7"));
        p.getOutputStream().close();
        assertEquals(7, p.waitFor());
        Process missing = wrapper("", 10, List.of("no-such-program-" + UUID.randomUUID()));
        assertEquals(127, missing.waitFor());
        String said = new String(missing.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(said.contains("command not found"), said);
    }

    @Test
    void forwardsStdinToTheProgramAndEndsWhenItExitsOnEndOfFile() throws Exception {
        Process p = wrapper("", 10, List.of("cat"));
        OutputStream in = p.getOutputStream();
        in.write("one\ntwo\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("one", out.readLine());
        assertEquals("two", out.readLine());
        in.close();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertEquals(null, out.readLine());
    }

    @Test
    void whenStdinEndsAProgramThatIgnoresEndOfFileAndSigtermIsKilledAfterTwiceTheGrace() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        // the trap is inherited by sleep, so neither the shell nor its child dies of SIGTERM
        Process p = wrapper("", 5, List.of("sh", "-c", "trap '' TERM; while :; do sleep 1; done", token));
        await().atMost(Duration.ofSeconds(5)).until(() -> Procs.withArgument(token).size() >= 3);
        p.getOutputStream().close();
        await().atMost(Duration.ofSeconds(4)).until(() -> Procs.withArgument(token).isEmpty());
        assertTrue(p.waitFor(2, TimeUnit.SECONDS));
        assertFalse(p.isAlive());
    }

    @Test
    void theSecondConnectionsScriptEndsAGroupThatIgnoresSigtermAndIsQuietWhenTheGroupIsGone() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        Process p = new ProcessBuilder("setsid", "sh", "-c", "trap '' TERM; while :; do sleep 1; done", token).start();
        started.add(p);
        await().atMost(Duration.ofSeconds(5)).until(() -> !Procs.withArgument(token).isEmpty());
        Process signal = new ProcessBuilder(RemoteScripts.signalGroup(p.pid(), 3)).start();
        assertEquals(0, signal.waitFor());
        await().atMost(Duration.ofSeconds(2)).until(() -> Procs.withArgument(token).isEmpty() && !p.isAlive());
        assertEquals(137, p.exitValue());
        assertEquals(0, new ProcessBuilder(RemoteScripts.signalGroup(p.pid(), 3)).start().waitFor());
    }
}
