package dev.warmpool.transport.hosts;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.warmpool.testkit.sshd.SshHosts;
import dev.warmpool.testkit.sshd.Sshd;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A JVM whose pool has workers on two ssh hosts is SIGKILLed: every remote worker, each of which ignores
 * end-of-file and SIGTERM and has left a process of its own outside its process group, is gone within 10 s,
 * and so is every local ssh client. Nothing is installed on the hosts: the remote wrapper notices its
 * session ended and kills its group and the worker's escapees, found by their token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RemoteJvmDeathTest {
    private static final Duration GONE_WITHIN = Duration.ofSeconds(10);

    private SshHosts hosts;
    private Process child;

    @BeforeAll
    void startServers() throws Exception {
        Optional<String> why = Sshd.unavailable();
        assumeTrue(why.isEmpty(), () -> "skipped: " + why.orElseThrow());
        hosts = SshHosts.start("127.0.0.2", "127.0.0.3");
    }

    @AfterAll
    void stopServers() throws Exception {
        if (child != null) {
            child.destroyForcibly();
        }
        if (hosts != null) {
            hosts.close();
        }
    }

    @Test
    void everyRemoteWorkerThatIgnoresEndOfFileAndSigtermIsGoneWithin10sOfTheJvmsSigkillEscapeesToo() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseGet(
                () -> Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx96m",
                "-cp", System.getProperty("java.class.path"), RemotePoolMain.class.getName(),
                hosts.clientConfig().toString(), token, hosts.server(0).uri(), hosts.server(1).uri()));
        child = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("started "), "the child JVM printed " + line);
        assertTrue(line.contains("host=" + hosts.server(0).uri() + ", workers=2"), line);
        assertTrue(line.contains("host=" + hosts.server(1).uri() + ", workers=2"), line);
        // per worker: the local ssh client, the remote wrapper's two shells, the worker shell, its escapee
        await().atMost(Duration.ofSeconds(5)).until(() -> Procs.withArgument(token).size() >= 4 * 5);

        child.toHandle().destroyForcibly();
        assertEquals(137, child.waitFor());
        await().atMost(GONE_WITHIN).pollInterval(Duration.ofMillis(100))
                .until(() -> Procs.withArgument(token).isEmpty());
    }
}
