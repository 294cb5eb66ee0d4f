package dev.warmpool.transport.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Reading hosts and turning a worker's argv into each launcher's argv. */
class HostTest {
    private static final HostsOptions OPTIONS = HostsOptions.builder().sshConfig(Path.of("/etc/cfg"))
            .identity(Path.of("/k/id")).build();

    @Test
    void readsLocalSshAndExecHostsWithTheirShares() {
        List<Host> hosts = Host.parseList(" local?max=2 , ssh://deploy@10.0.0.2:2222?weight=3&max=8,ssh://h3,exec:docker exec -i box");
        assertEquals(List.of("local", "ssh://deploy@10.0.0.2:2222", "ssh://h3", "exec:docker exec -i box"),
                hosts.stream().map(Host::uri).toList());
        assertEquals(OptionalInt.of(2), hosts.get(0).maxWorkers());
        assertEquals(3, hosts.get(1).weight());
        assertEquals(OptionalInt.of(8), hosts.get(1).maxWorkers());
        assertEquals(new Launcher.Ssh(Optional.of("deploy"), "10.0.0.2", OptionalInt.of(2222)), hosts.get(1).launcher());
        assertEquals(new Launcher.Ssh(Optional.empty(), "h3", OptionalInt.empty()), hosts.get(2).launcher());
        assertTrue(hosts.get(0).isLocal());
        assertEquals("deploy@10.0.0.2:2222", hosts.get(1).label());
    }

    @Test
    void badHostsAreRejectedEchoingTheText() {
        assertEquals("host 'ftp://x' is not local, ssh://[user@]host[:port] or exec:WORDS",
                assertThrows(IllegalArgumentException.class, () -> Host.parse("ftp://x")).getMessage());
        assertEquals("host 'ssh://h:99999' has port '99999', but it must be 1..65535",
                assertThrows(IllegalArgumentException.class, () -> Host.parse("ssh://h:99999")).getMessage());
        assertEquals("host 'ssh://-oProxyCommand=x' is not ssh://[user@]host[:port]",
                assertThrows(IllegalArgumentException.class, () -> Host.parse("ssh://-oProxyCommand=x")).getMessage());
        assertEquals("host 'ssh://h?weight=0' has weight='0', but it must be a whole number of at least 1",
                assertThrows(IllegalArgumentException.class, () -> Host.parse("ssh://h?weight=0")).getMessage());
        assertEquals("host 'local?size=2' has an unknown option 'size'; known options: max, weight",
                assertThrows(IllegalArgumentException.class, () -> Host.parse("local?size=2")).getMessage());
        assertEquals("host 'ssh://h' is listed twice in 'ssh://h,ssh://h'",
                assertThrows(IllegalArgumentException.class, () -> Host.parseList("ssh://h,ssh://h")).getMessage());
        assertEquals("the host list ' , ' names no host; e.g. local,ssh://user@host",
                assertThrows(IllegalArgumentException.class, () -> Host.parseList(" , ")).getMessage());
    }

    @Test
    void sshRunsTheQuotedRemoteCommandInBatchModeThroughTheSharedConnectionWithoutBecomingAMaster() {
        Host h = Host.parse("ssh://deploy@10.0.0.2:2222");
        List<String> argv = h.launcher().command(List.of("echo", "it's here", "$HOME"), OPTIONS, Duration.ofMillis(2500),
                Optional.of(Path.of("/tmp/s/ab")));
        assertEquals(List.of("ssh", "-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=3", "-F", "/etc/cfg", "-i", "/k/id",
                "-p", "2222", "-l", "deploy", "-o", "ControlMaster=no", "-o", "ControlPath=/tmp/s/ab", "10.0.0.2", "--",
                "echo 'it'\\''s here' '$HOME'"), argv);
        assertTrue(Host.parse("ssh://h").launcher().command(List.of("x"), HostsOptions.defaults(), Duration.ofSeconds(1),
                Optional.empty()).contains("ControlPath=none"));
    }

    @Test
    void aTemplatePutsTheArgvAtItsPlaceholderOrAtTheEndWithoutQuoting() {
        assertEquals(List.of("docker", "exec", "-i", "box", "a b", "c"), Host.parse("exec:docker exec -i box").launcher()
                .command(List.of("a b", "c"), OPTIONS, Duration.ofSeconds(1), Optional.empty()));
        assertEquals(List.of("kubectl", "exec", "-i", "pod", "--", "a b", "-c", "ctr"), Host.parse("exec:kubectl exec -i pod -- {} -c ctr")
                .launcher().command(List.of("a b"), OPTIONS, Duration.ofSeconds(1), Optional.empty()));
        assertEquals(List.of("a b"), Host.local().launcher().command(List.of("a b"), OPTIONS, Duration.ofSeconds(1), Optional.empty()));
    }

    @Test
    void optionsRejectAGraceThatWouldBreakTheTenSecondPromise() {
        assertEquals("remote grace is 5000 ms, but must be at most 4500 ms, so a remote worker is gone within 10 s of its pool's death",
                assertThrows(IllegalArgumentException.class, () -> HostsOptions.builder().remoteGrace(Duration.ofSeconds(5)).build())
                        .getMessage());
    }
}
