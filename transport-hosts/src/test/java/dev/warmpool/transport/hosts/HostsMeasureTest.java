package dev.warmpool.transport.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.spi.Call;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.transport.stdio.LineTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Opt-in measurement for docs/hosts.md, not a test of speed (it asserts only that answers are right):
 * {@code ./mvnw -B -o verify -pl transport-hosts -am -Dtest=HostsMeasureTest -Dwarmpool.measure=true
 * -Dsurefire.failIfNoSpecifiedTests=false}; the figures go to the test's output file.
 */
@EnabledIfSystemProperty(named = "warmpool.measure", matches = "true")
class HostsMeasureTest {
    private static final int CALLS = 3000;
    private static final int SPAWNS = 20;

    @Test
    void warmCallAndSpawnOverSshAgainstLocal() throws Exception {
        assumeTrue(Sshd.unavailable().isEmpty(), "needs sshd");
        Path dir = Files.createTempDirectory("warmpool-sshd");
        Sshd.prepare(dir);
        Sshd a = Sshd.start(dir, "127.0.0.2");
        try {
            HostsOptions shared = HostsOptions.builder().sshConfig(dir.resolve("ssh_config")).build();
            HostsOptions unshared = HostsOptions.builder().sshConfig(dir.resolve("ssh_config")).connectionSharing(false).build();
            List<Host> ssh = List.of(Host.parse(a.uri()));
            Transport local = new LineTransport();
            Transport remote = HostsTransport.wrap(new LineTransport(), ssh, shared);
            report("warm call, local cat", warm(local));
            report("warm call, cat over ssh", warm(remote));
            report("spawn, local cat", spawn(local));
            report("spawn over ssh, shared connection", spawn(remote));
            report("spawn over ssh, no sharing", spawn(HostsTransport.wrap(new LineTransport(), ssh, unshared)));
            // the floor: a bare "ssh host true" (the login shell's start-up included) with and without the master
            Launcher.Ssh l = (Launcher.Ssh) ssh.get(0).launcher();
            report("ssh host true, shared connection", bare(l.command(List.of("true"), shared, Duration.ofSeconds(5),
                    new SharedConnections(shared).controlPath(l))));
            report("ssh host true, no sharing", bare(l.command(List.of("true"), unshared, Duration.ofSeconds(5),
                    java.util.Optional.empty())));
        } finally {
            a.kill();
            Sshd.delete(dir);
        }
    }

    private static long[] warm(Transport t) throws Exception {
        Worker w = t.start(SshHostsTest.spec("m-1", List.of("cat")));
        try {
            long[] ns = new long[CALLS];
            for (int i = -500; i < CALLS; i++) {
                long t0 = System.nanoTime();
                String r = w.call(new Call<>("x", "hello " + i, String.class, NotificationListener.NONE)).get(5, TimeUnit.SECONDS);
                if (i >= 0) {
                    ns[i] = System.nanoTime() - t0;
                }
                assertEquals("hello " + i, r);
            }
            return ns;
        } finally {
            w.stop(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
        }
    }

    private static long[] spawn(Transport t) throws Exception {
        long[] ns = new long[SPAWNS];
        for (int i = -2; i < SPAWNS; i++) {
            long t0 = System.nanoTime();
            Worker w = t.start(SshHostsTest.spec("s-" + i, List.of("cat")));
            assertEquals("x", w.call(new Call<>("x", "x", String.class, NotificationListener.NONE)).get(10, TimeUnit.SECONDS));
            if (i >= 0) {
                ns[i] = System.nanoTime() - t0;
            }
            w.stop(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
        }
        return ns;
    }

    private static long[] bare(List<String> argv) throws Exception {
        long[] ns = new long[SPAWNS];
        for (int i = 0; i < SPAWNS; i++) {
            long t0 = System.nanoTime();
            assertEquals(0, new ProcessBuilder(argv).redirectErrorStream(true).start().waitFor());
            ns[i] = System.nanoTime() - t0;
        }
        return ns;
    }

    private static void report(String what, long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "MEASURE %-36s n=%5d p50=%9.3f ms p90=%9.3f ms p99=%9.3f ms%n", what, s.length,
                s[s.length / 2] / 1e6, s[(int) (s.length * 0.9)] / 1e6, s[(int) (s.length * 0.99)] / 1e6);
    }
}
