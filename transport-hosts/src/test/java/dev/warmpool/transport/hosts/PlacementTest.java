package dev.warmpool.transport.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The placement rule on a fake clock: fewest per weight, maxima, down with doubling backoff, one probe. */
class PlacementTest {
    private final AtomicLong now = new AtomicLong();
    private final HostsOptions options = HostsOptions.builder().downBackoff(Duration.ofSeconds(1), Duration.ofSeconds(3)).build();

    private Placement placement(String hosts) {
        return new Placement(Host.parseList(hosts), options, now::get);
    }

    private static List<String> place(Placement p, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(p.reserve(Set.of()).map(s -> s.host.uri()).orElse("none"));
        }
        return out;
    }

    @Test
    void spreadsByFewestWorkersPerWeightTiesToTheFirstListed() {
        Placement p = placement("ssh://a?weight=2,ssh://b");
        assertEquals(List.of("ssh://a", "ssh://b", "ssh://a", "ssh://a", "ssh://b", "ssh://a"), place(p, 6));
        assertEquals(List.of(4, 2), p.status().stream().map(HostStatus::workers).toList());
    }

    @Test
    void aHostAtItsMaximumTakesNoMoreAndWhenAllAreFullNoneIsChosen() {
        Placement p = placement("ssh://a?max=1,ssh://b?max=2");
        assertEquals(List.of("ssh://a", "ssh://b", "ssh://b", "none"), place(p, 4));
        assertEquals("ssh://a full (1 of 1 workers, its max); ssh://b full (2 of 2 workers, its max)", p.whyNone(Set.of()));
    }

    @Test
    void aFailedHostIsDownForADoublingBackoffThenOneProbeIsLetThroughAndSuccessBringsItBack() {
        Placement p = placement("ssh://a,ssh://b");
        Placement.Slot a = p.reserve(Set.of()).orElseThrow();
        p.failed(a, "connection refused");
        assertEquals(List.of("ssh://b", "ssh://b"), place(p, 2));
        HostStatus down = p.status().get(0);
        assertEquals(new HostStatus("ssh://a", 0, false, Duration.ofSeconds(1), Optional.of("connection refused")), down);

        now.addAndGet(Duration.ofSeconds(1).toNanos());
        Placement.Slot probe = p.reserve(Set.of()).orElseThrow();
        assertEquals("ssh://a", probe.host.uri());
        // while the probe runs, no second start goes there
        assertEquals(List.of("ssh://b"), place(p, 1));
        p.failed(probe, "still refused");
        assertEquals(Duration.ofSeconds(2), p.status().get(0).downFor());
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        p.failed(p.reserve(Set.of()).orElseThrow(), "refused again");
        // doubled to 4 s, capped at the maximum of 3 s
        assertEquals(Duration.ofSeconds(3), p.status().get(0).downFor());

        now.addAndGet(Duration.ofSeconds(3).toNanos());
        Placement.Slot back = p.reserve(Set.of()).orElseThrow();
        p.started(back);
        assertTrue(p.status().get(0).up());
        assertEquals(List.of("ssh://a", "ssh://a"), place(p, 2));
    }

    @Test
    void aStartMovesOnFromTheHostsItTriedAndReleasedWorkersFreeTheirPlace() {
        Placement p = placement("ssh://a,ssh://b");
        Host a = Host.parse("ssh://a");
        Placement.Slot s = p.reserve(Set.of(a)).orElseThrow();
        assertEquals("ssh://b", s.host.uri());
        p.released(s);
        assertEquals(List.of(0, 0), p.status().stream().map(HostStatus::workers).toList());
        assertEquals(Optional.empty(), p.reserve(Set.of(a, Host.parse("ssh://b"))).map(x -> x.host));
    }
}
