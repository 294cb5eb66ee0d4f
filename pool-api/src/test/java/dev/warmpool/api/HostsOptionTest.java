package dev.warmpool.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.spi.WorkerSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code hosts} option: its checks, {@code WARMPOOL_HOSTS}, and the switch to the {@code hosts} transport. */
class HostsOptionTest {

    @Test
    void hostsMakeTheTransportHostsWithTheChosenOneAsInner() {
        PoolConfig c = PoolConfig.builder().command("cat").transport("line").transportSetting("identity", "/k")
                .hosts("local", "ssh://deploy@10.0.0.2:2222?weight=2", "exec:docker exec -i box").build();
        assertEquals(List.of("local", "ssh://deploy@10.0.0.2:2222?weight=2", "exec:docker exec -i box"), c.hosts());
        assertEquals("hosts", c.transportName());
        assertEquals(Map.of("inner", "line", "identity", "/k",
                "hosts", "local,ssh://deploy@10.0.0.2:2222?weight=2,exec:docker exec -i box"), c.transportSettings());
    }

    @Test
    void theDefaultTransportJsonrpcBecomesTheInnerOne() {
        PoolConfig c = PoolConfig.builder().command("cat").hosts(List.of("local")).build();
        assertEquals("hosts", c.transportName());
        assertEquals(Map.of("inner", "jsonrpc", "hosts", "local"), c.transportSettings());
    }

    @Test
    void withoutHostsNothingChanges() {
        PoolConfig c = PoolConfig.builder().command("cat").transport("line").build();
        assertEquals(List.of(), c.hosts());
        assertEquals("line", c.transportName());
        assertEquals(Map.of(), c.transportSettings());
    }

    @Test
    void theHostsTransportChosenByNameGetsOnlyTheHostList() {
        PoolConfig c = PoolConfig.builder().command("cat").transport("hosts").transportSetting("inner", "line")
                .hosts("local").build();
        assertEquals("hosts", c.transportName());
        assertEquals(Map.of("inner", "line", "hosts", "local"), c.transportSettings());
    }

    @Test
    void aTransportInstanceWithHostsFailsTheBuildSayingToWrapIt() {
        var b = PoolConfig.builder().command("cat").transport(new NamedTransport()).hosts("ssh://h1");
        IllegalStateException e = assertThrows(IllegalStateException.class, b::build);
        assertTrue(e.getMessage().startsWith("hosts ssh://h1 are set, but the transport was given as an instance (mine)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("HostsTransport.wrap(instance, Host.parseList(\"ssh://h1\")"), e.getMessage());
    }

    @Test
    void hostsGivenTwiceOrAnInnerSettingBesideThemFailTheBuild() {
        var twice = PoolConfig.builder().command("cat").transport("hosts").transportSetting("hosts", "local")
                .hosts("ssh://h1");
        assertEquals("hosts ssh://h1 are set, and the transport setting hosts=local too; keep one of them",
                assertThrows(IllegalStateException.class, twice::build).getMessage());
        var inner = PoolConfig.builder().command("cat").transport("line").transportSetting("inner", "jsonrpc")
                .hosts("local");
        assertTrue(assertThrows(IllegalStateException.class, inner::build).getMessage()
                .startsWith("transport setting inner=jsonrpc is set, but hosts local make line the inner transport"));
    }

    @Test
    void aHostOfUnknownShapeIsRejectedAtOnceEchoingIt() {
        var b = PoolConfig.builder();
        assertEquals("hosts: host 'http://h1' is not local, ssh://[user@]host[:port] or exec:WORDS (a launcher such"
                + " as exec:docker exec -i box)", assertThrows(IllegalArgumentException.class,
                () -> b.hosts("local", "http://h1")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.hosts("ssh://"));
        assertThrows(IllegalArgumentException.class, () -> b.hosts("exec:  "));
        assertThrows(IllegalArgumentException.class, () -> b.hosts("localhost"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.hosts("local,ssh://h1")).getMessage()
                .contains("contains a comma"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.hosts("local", " local")).getMessage()
                .contains("listed twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.hosts(List.of())).getMessage()
                .startsWith("hosts is empty"));
    }

    @Test
    void warmpoolHostsIsReadByFromEnvironmentOnly() {
        Map<String, String> env = Map.of("WARMPOOL_HOSTS", " local , ssh://h1?max=2,");
        PoolConfig c = PoolConfig.fromEnvironment(env).command("cat").transport("line").build();
        assertEquals(List.of("local", "ssh://h1?max=2"), c.hosts());
        assertEquals(Map.of("inner", "line", "hosts", "local,ssh://h1?max=2"), c.transportSettings());
        assertTrue(c.toString().contains("hosts=[local, ssh://h1?max=2] (from WARMPOOL_HOSTS)"), c.toString());
        assertEquals(List.of(), PoolConfig.builder().command("cat").build().hosts());
    }

    @Test
    void theBuilderWinsOverWarmpoolHostsEvenABadValue() {
        PoolConfig c = PoolConfig.fromEnvironment(Map.of("WARMPOOL_HOSTS", "nonsense")).command("cat").hosts("local")
                .build();
        assertEquals(List.of("local"), c.hosts());
    }

    @Test
    void aBadWarmpoolHostsFailsTheBuildNamingTheVariable() {
        var b = PoolConfig.fromEnvironment(Map.of("WARMPOOL_HOSTS", "local,ftp://h")).command("cat");
        assertTrue(assertThrows(IllegalArgumentException.class, b::build).getMessage()
                .startsWith("environment variable WARMPOOL_HOSTS: host 'ftp://h' is not local"));
        var empty = PoolConfig.fromEnvironment(Map.of("WARMPOOL_HOSTS", " , ")).command("cat");
        assertEquals("environment variable WARMPOOL_HOSTS is ' , ', which names no host; e.g. local,ssh://user@host",
                assertThrows(IllegalArgumentException.class, empty::build).getMessage());
    }

    @Test
    void toBuilderKeepsTheHostsAndTheTransportAsGiven() {
        PoolConfig c = PoolConfig.builder().command("cat").transport("line").hosts("local").build();
        PoolConfig copy = c.toBuilder().size(1).build();
        assertEquals(List.of("local"), copy.hosts());
        assertEquals(Map.of("inner", "line", "hosts", "local"), copy.transportSettings());
    }

    private static final class NamedTransport implements Transport {
        @Override
        public String name() {
            return "mine";
        }

        @Override
        public Worker start(WorkerSpec spec) {
            throw new UnsupportedOperationException("not started in this test");
        }
    }
}
