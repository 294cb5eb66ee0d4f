package dev.warmpool.transport.hosts;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final List<String> tags = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
        started.forEach(Process::destroyForcibly);
        // escapees are nobody's descendants: a failed test finds them by their tag
        tags.forEach(tag -> Procs.withEnvironmentEntry(tag).forEach(
                line -> ProcessHandle.of(Long.parseLong(line.split(":")[0])).ifPresent(ProcessHandle::destroyForcibly)));
    }

    /** {@return a new {@code TAG=...} entry, whose processes are killed after the test} */
    private String tag() {
        String tag = "TAG=" + UUID.randomUUID();
        tags.add(tag);
        return tag;
    }

    private Process wrapper(String marker, long graceTenths, List<String> argv) throws Exception {
        return wrapper(marker, graceTenths, RemoteLaunch.of(Optional.empty(), Map.of(), Map.of(), "test"), argv);
    }

    private Process wrapper(String marker, long graceTenths, RemoteLaunch launch, List<String> argv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(RemoteScripts.wrap(marker, graceTenths, launch, argv));
        // what sshd gives a session: the remote login environment, none of the pool's variables
        pb.environment().keySet().retainAll(List.of("PATH", "HOME", "USER", "LANG"));
        Process p = pb.start();
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
        Process signal = new ProcessBuilder(RemoteScripts.signalGroup(p.pid(), 3, "no-escapees")).start();
        assertEquals(0, signal.waitFor());
        await().atMost(Duration.ofSeconds(2)).until(() -> Procs.withArgument(token).isEmpty() && !p.isAlive());
        assertEquals(137, p.exitValue());
        assertEquals(0, new ProcessBuilder(RemoteScripts.signalGroup(p.pid(), 3, "no-escapees")).start().waitFor());
    }

    @Test
    void theConfiguredEnvironmentAndDirectoryReachTheProgramVerbatim() throws Exception {
        Path dir = Files.createTempDirectory("warmpool wrapper 'it's' $HOME");
        try {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("A", "it's a \"b\" with  spaces ");
            env.put("B", "$HOME `id` $(id) ${PATH} \\n");
            env.put("C", "line one\nline two\n");
            env.put("D", "");
            env.put("E", "x=y; export F=1");
            RemoteLaunch launch = RemoteLaunch.of(Optional.of(dir), env, Map.of(), "test");
            Process p = wrapper("", 10, launch, List.of("sh", "-c",
                    "printf '%s\\037' \"$A\" \"$B\" \"$C\" \"${D-unset}\" \"$E\" \"${F-unset}\" \"$(pwd)\" \"$WARMPOOL_REMOTE_WORKER\""));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), () -> stderr(p));
            List<String> expected = new ArrayList<>(env.values());
            expected.addAll(List.of("unset", dir.toRealPath().toString(), launch.token()));
            assertEquals(expected, List.of(out.split("\037", -1)).subList(0, expected.size()));
        } finally {
            Files.delete(dir);
        }
    }

    @Test
    void aDirectoryThatIsNotThereFailsTheStartWith126AndSaysWhich() throws Exception {
        String missing = "/nonexistent/warmpool dir " + UUID.randomUUID();
        Process p = wrapper(RemoteScripts.READY_MARKER, 10,
                RemoteLaunch.of(Optional.of(Path.of(missing)), Map.of(), Map.of(), "test"), List.of("cat"));
        assertEquals(126, p.waitFor());
        assertEquals("", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8), "no ready line");
        String said = stderr(p);
        assertTrue(said.contains("warmpool-remote: cannot enter directory " + missing + " on "), said);
    }

    @Test
    void anEscapeeThatLeftTheGroupWithSetsidIsEndedWhenTheWorkerExits() throws Exception {
        String tag = tag();
        RemoteLaunch launch = RemoteLaunch.of(Optional.empty(), Map.of("TAG", tag.substring(4)), Map.of(), "test");
        Process p = wrapper("", 10, launch, List.of("bash", "-c", "(setsid sleep 3600 &); exec cat"));
        await().atMost(Duration.ofSeconds(5)).until(() -> Procs.withEnvironmentEntry(tag).stream().anyMatch(s -> s.endsWith("sleep 3600")));
        p.getOutputStream().close();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertEquals(List.of(), Procs.withEnvironmentEntry(tag), "the wrapper exits once the escapee is gone");
    }

    @Test
    void whenStdinEndsAnEscapeeThatIgnoresSigtermIsKilledWithTheHostileWorker() throws Exception {
        String tag = tag();
        RemoteLaunch launch = RemoteLaunch.of(Optional.empty(), Map.of("TAG", tag.substring(4)), Map.of(), "test");
        String hostile = "trap '' TERM; while :; do sleep 1; done";
        Process p = wrapper("", 5, launch, List.of("sh", "-c", "(setsid sh -c \"" + hostile + "\" &); " + hostile));
        await().atMost(Duration.ofSeconds(5)).until(() -> Procs.withEnvironmentEntry(tag).size() >= 4);
        p.getOutputStream().close();
        await().atMost(Duration.ofSeconds(4)).until(() -> Procs.withEnvironmentEntry(tag).isEmpty());
        assertTrue(p.waitFor(2, TimeUnit.SECONDS));
    }

    @Test
    void theSecondConnectionsScriptEndsTheWorkersEscapeesByItsToken() throws Exception {
        String tag = tag();
        RemoteLaunch launch = RemoteLaunch.of(Optional.empty(), Map.of("TAG", tag.substring(4)), Map.of(), "test");
        Process p = wrapper("", 50, launch, List.of("bash", "-c", "(setsid sleep 3600 &); exec cat"));
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        long pgid = Long.parseLong(err.readLine().substring(RemoteScripts.PGID_PREFIX.length()).split(" ")[0]);
        await().atMost(Duration.ofSeconds(5)).until(() -> Procs.withEnvironmentEntry(tag).size() >= 2);
        Process signal = new ProcessBuilder(RemoteScripts.signalGroup(pgid, 3, launch.token())).start();
        assertEquals(0, signal.waitFor());
        await().atMost(Duration.ofSeconds(2)).until(() -> Procs.withEnvironmentEntry(tag).isEmpty() && !p.isAlive());
    }

    private static String stderr(Process p) {
        try {
            return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
