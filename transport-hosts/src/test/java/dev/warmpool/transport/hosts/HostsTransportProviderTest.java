package dev.warmpool.transport.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.spi.Call;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.core.Providers;
import dev.warmpool.core.WarmPool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code hosts} transport by name: its settings, {@code WARMPOOL_HOSTS}, settings passed on to the
 * inner transport, and hosts that need no ssh: {@code local} and an {@code exec:} template that runs the
 * remote wrapper here.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostsTransportProviderTest {
    @Test
    void isFoundByNameAndReadsItsSettingsPassingTheRestToTheInnerTransport() {
        HostsTransport t = (HostsTransport) Providers.transport("hosts", Map.of("inner", "line", "hosts", "local,ssh://h",
                "max-per-host", "3", "weights", "1,2", "readyLine", "READY"));
        assertEquals(List.of(OptionalInt.of(3), OptionalInt.of(3)), t.hosts().stream().map(Host::maxWorkers).toList());
        assertEquals(List.of(1, 2), t.hosts().stream().map(Host::weight).toList());
        assertEquals("HostsTransport[line on [local?weight=1&max=3, ssh://h?weight=2&max=3]]", t.toString());
    }

    @Test
    void takesTheHostListFromWarmpoolHostsWhenTheSettingIsAbsent() {
        HostsTransport t = HostsTransportProvider.create(Map.of("inner", "line"), Map.of("WARMPOOL_HOSTS", "ssh://a,ssh://b"));
        assertEquals(List.of("ssh://a", "ssh://b"), t.hosts().stream().map(Host::uri).toList());
    }

    @Test
    void badSettingsAreRejectedNamingTheSettingAndEchoingTheValue() {
        assertEquals("the hosts transport has no hosts: set the transport setting hosts (e.g. hosts=local,ssh://user@host)"
                + " or the environment variable WARMPOOL_HOSTS", assertThrows(IllegalArgumentException.class,
                () -> HostsTransportProvider.create(Map.of("inner", "line"), Map.of())).getMessage());
        assertEquals("hosts transport setting weights is '1' with 1 weights, but there are 2 hosts (local,ssh://h)",
                assertThrows(IllegalArgumentException.class, () -> HostsTransportProvider.create(
                        Map.of("inner", "line", "hosts", "local,ssh://h", "weights", "1"), Map.of())).getMessage());
        assertEquals("hosts transport setting inner is 'hosts', but must name the transport that speaks to the workers,"
                + " e.g. jsonrpc or line", assertThrows(IllegalArgumentException.class, () -> HostsTransportProvider.create(
                        Map.of("inner", "hosts", "hosts", "local"), Map.of())).getMessage());
        String unknown = assertThrows(IllegalArgumentException.class, () -> HostsTransportProvider.create(
                Map.of("inner", "line", "hosts", "local", "readyLin", "x"), Map.of())).getMessage();
        assertTrue(unknown.contains("'readyLin'"), unknown);
    }

    @Test
    void aLocalHostRunsTheWorkerUnchangedAndAPoolByNameStripsTheHostsSettingsFromEachSpec() throws Exception {
        PoolConfig config = PoolConfig.builder().transport("hosts").transportSetting("inner", "line")
                .transportSetting("hosts", "local?max=2").command("cat").size(2).healthCheckInterval(Duration.ZERO).build();
        try (WarmPool pool = WarmPool.start(config)) {
            assertEquals("hello", pool.submit("x", "hello").get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void anExecTemplateRunsTheRemoteWrapperAndItsReadyLineProvesTheProgramRuns() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        // "env" stands for docker exec -i CONTAINER: a launcher that runs the argv it is given
        HostsTransport t = HostsTransport.wrap(new dev.warmpool.transport.stdio.LineTransport(),
                List.of(Host.parse("exec:env --")), HostsOptions.builder().remoteGrace(Duration.ofMillis(500)).build());
        Worker w = t.start(SshHostsTest.spec("w-1", List.of("grep", "--line-buffered", "-e", "", "-e", token)));
        assertEquals("ping", w.call(new Call<>("x", "ping", String.class, NotificationListener.NONE)).get(10, TimeUnit.SECONDS));
        assertTrue(w.stderrTail().stream().noneMatch(l -> l.startsWith(RemoteScripts.PGID_PREFIX)), w.stderrTail().toString());
        assertEquals(1, t.status().get(0).workers());
        assertEquals(0, w.stop(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Procs.withArgument(token).isEmpty()
                && t.status().get(0).workers() == 0);
    }
}
