package dev.warmpool.transport.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.spi.Call;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.transport.stdio.LineTransport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Host failure without ssh: a launcher whose starts fail stands for a broken host. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostsTransportTest {
    @Test
    void aHostWhoseStartFailsIsDownAndTheSameStartAndTheNextGoToTheOtherHost() throws Exception {
        // a "host" where not even sh can be found: every start there fails at once
        HostsTransport t = HostsTransport.wrap(new LineTransport(), List.of(Host.parse("exec:env PATH=/nonexistent"),
                Host.local()), HostsOptions.builder().downBackoff(Duration.ofSeconds(30), Duration.ofSeconds(60)).build());
        Worker first = t.start(SshHostsTest.spec("w-1", List.of("cat")));
        Worker second = t.start(SshHostsTest.spec("w-2", List.of("cat")));
        try {
            assertEquals("x", first.call(new Call<>("m", "x", String.class, NotificationListener.NONE)).get(10, TimeUnit.SECONDS));
            HostStatus broken = t.status().get(0);
            assertFalse(broken.up());
            assertEquals(0, broken.workers());
            assertEquals("worker w-1@exec:env PATH=/nonexistent exited with code 127 before it printed its ready line"
                    + " 'warmpool-remote-ready' (command on host exec:env PATH=/nonexistent: cat); last stderr lines:"
                    + " /usr/bin/env: 'sh': No such file or directory", broken.lastError().orElseThrow());
            assertTrue(broken.downFor().compareTo(Duration.ofSeconds(20)) > 0, broken.toString());
            assertEquals(new HostStatus("local", 2, true, Duration.ZERO, java.util.Optional.empty()), t.status().get(1));
        } finally {
            first.stop(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
            second.stop(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
        }
        // a worker leaves its host's count when its exit has been handled, just after stop completes
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!t.status().stream().allMatch(h -> h.workers() == 0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of(0, 0), t.status().stream().map(HostStatus::workers).toList());
    }
}
