package dev.warmpool.transport.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.transport.jsonrpc.JsonRpcTransport;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The Java example of {@code docs/hosts.md}, compiled and run up to the configuration (no worker starts,
 * so no ssh is needed); the page's copy must stay the same as this one ({@code DocsSnippetsTest} in the
 * examples module checks it).
 */
class HostsDocExampleTest {
    @Test
    void thePagesExampleSpreadsSixWorkersOverTheThreeHostsItNames() {
        Transport t = HostsTransport.wrap(JsonRpcTransport.create(),
                Host.parseList("local,ssh://deploy@10.0.0.2,ssh://deploy@10.0.0.3?weight=2&max=8"),
                HostsOptions.builder().identity(Path.of("/etc/warmpool/id_ed25519")).build());
        PoolConfig config = PoolConfig.builder().transport(t).command("python3", "-u", "/srv/worker.py").size(6).build();

        assertSame(t, config.transport().orElseThrow());
        assertEquals(6, config.size());
        List<Host> hosts = ((HostsTransport) t).hosts();
        assertEquals(List.of("local", "ssh://deploy@10.0.0.2", "ssh://deploy@10.0.0.3"),
                hosts.stream().map(Host::uri).toList());
        assertEquals(List.of(1, 1, 2), hosts.stream().map(Host::weight).toList());
        assertEquals(List.of(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.of(8)),
                hosts.stream().map(Host::maxWorkers).toList());
        assertEquals(List.of(0, 0, 0), ((HostsTransport) t).status().stream().map(HostStatus::workers).toList());
    }
}
