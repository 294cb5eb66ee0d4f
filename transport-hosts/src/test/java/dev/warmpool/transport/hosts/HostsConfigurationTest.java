package dev.warmpool.transport.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.HealthReport;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.core.WarmPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosts as configuration ({@code PoolConfig.Builder.hosts}, {@code WARMPOOL_HOSTS}): a pool configured with
 * hosts runs its workers through the {@code hosts} transport, with the configured transport inside it, and
 * the provider checks at {@code build()} what the builder cannot.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostsConfigurationTest {
    private static PoolConfig.Builder lineCat() {
        return PoolConfig.builder().transport("line").command("cat").size(2).healthCheckInterval(Duration.ZERO);
    }

    @Test
    void aPoolWithLocalHostsAnswersLinesThroughTheHostsTransport() throws Exception {
        PoolConfig config = lineCat().hosts("local").build();
        assertEquals("hosts", config.transportName());
        try (WarmPool pool = WarmPool.start(config)) {
            assertEquals("hello", pool.submit("x", "hello").get(10, TimeUnit.SECONDS));
            assertEquals("again", pool.submit("x", "again").get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aCrashOnAConfiguredHostNamesTheHostSoTheWorkerRanThroughTheHostsTransport() throws Exception {
        // the inner transport sees the worker id the hosts transport gives it (w-1@exec:env --) and words the crash
        // with it; "env --" stands for docker exec -i CONTAINER
        PoolConfig config = PoolConfig.builder().transport("line").command("sh", "-c", "read line; exit 3").size(1)
                .healthCheckInterval(Duration.ZERO).transportSetting("remote-grace", "500ms").hosts("exec:env --")
                .build();
        try (WarmPool pool = WarmPool.start(config)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> pool.submit("x", "boom").get(10, TimeUnit.SECONDS));
            assertInstanceOf(WorkerCrashedException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("w-1@exec:env --"), e.getCause().getMessage());
        }
    }

    @Test
    void anExecLauncherFromWarmpoolHostsRunsTheWorkersThroughTheRemoteWrapper() throws Exception {
        // "env --" stands for docker exec -i CONTAINER; the line worker is ready when the wrapper's marker arrives
        PoolConfig config = PoolConfig.fromEnvironment(Map.of("WARMPOOL_HOSTS", "exec:env --")).transport("line")
                .transportSetting("remote-grace", "500ms").command("cat").size(1).healthCheckInterval(Duration.ZERO)
                .build();
        assertEquals(Map.of("inner", "line", "hosts", "exec:env --", "remote-grace", "500ms"), config.transportSettings());
        try (WarmPool pool = WarmPool.start(config)) {
            assertEquals("over the launcher", pool.submit("x", "over the launcher").get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void whatTheBuilderCannotCheckTheProviderRejectsAtBuild() {
        var badPort = lineCat().hosts("local", "ssh://h1:notaport");
        String message = assertThrows(IllegalArgumentException.class, badPort::build).getMessage();
        assertTrue(message.contains("ssh://h1:notaport"), message);
        var badOption = lineCat().hosts("local?speed=2");
        message = assertThrows(IllegalArgumentException.class, badOption::build).getMessage();
        assertTrue(message.contains("unknown option 'speed'"), message);
    }

    @Test
    void hostsSettingsOfTheTransportStayWithItAndTheRestGoToTheInnerOne() {
        PoolConfig config = lineCat().hosts(List.of("local", "ssh://h1")).transportSetting("max-per-host", "4")
                .transportSetting("readyLine", "READY").build();
        HostsTransport t = (HostsTransport) dev.warmpool.core.Providers.transport(config.transportName(),
                config.transportSettings());
        assertEquals(List.of("local?weight=1&max=4", "ssh://h1?weight=1&max=4"),
                t.hosts().stream().map(Host::toString).toList());
    }

    @Test
    void healthAndMetricsNameTheHostOfEachWorker() throws Exception {
        // "env --" stands for docker exec -i CONTAINER; placement puts one worker on each host
        PoolConfig config = lineCat().hosts("local", "exec:env --").transportSetting("remote-grace", "500ms").build();
        try (WarmPool pool = WarmPool.start(config)) {
            HealthReport report = pool.healthCheck();
            assertEquals(List.of("exec:env --", "local"), report.workers().stream()
                    .map(w -> w.host().orElseThrow()).sorted().toList(), report.toString());
            assertEquals(Map.of("exec:env --", 1, "local", 1), pool.metrics().workersByHost());
        }
    }

    @Test
    void aRemoteWorkerGetsTheConfiguredEnvironmentAndDirectoryThroughTheWrapper(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("a dir 'with' $quotes"));
        String value = "it's \"$HOME\" `id`\nsecond line";
        // the worker answers each line with the variable (newlines shown as ~) and its directory
        PoolConfig config = PoolConfig.builder().transport("line").size(1).healthCheckInterval(Duration.ZERO)
                .command("sh", "-c", "while read -r l; do printf '%s|%s\\n' \"$(printf %s \"$GREETING\" | tr '\\n' '~')\" \"$(pwd)\"; done")
                .environment("GREETING", value).directory(dir).transportSetting("remote-grace", "500ms")
                .hosts("exec:env --").build();
        try (WarmPool pool = WarmPool.start(config)) {
            assertEquals(value.replace('\n', '~') + "|" + dir.toRealPath(), pool.submit("x", "go").get(10, TimeUnit.SECONDS));
        }
    }
}
