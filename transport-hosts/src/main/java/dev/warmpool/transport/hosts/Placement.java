package dev.warmpool.transport.hosts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Where the next worker goes, and which hosts are down. One lock; every decision is made under it and
 * nothing slow happens there.
 *
 * <p>The rule: among the hosts not yet tried for this start that are up (or down, but due for a probe
 * that no other start is making), and below their maximum, the one with the fewest workers per unit of
 * weight; ties go to the host listed first. A worker counts from its reservation (so parallel starts
 * spread) until it is gone. A failed start marks its host down for the backoff (doubling per failure up
 * to the maximum); once that passes, one start is let through as a probe, and its success brings the
 * host back.
 */
final class Placement {
    /** One host's count and health, guarded by the placement's lock. */
    static final class Slot {
        final Host host;
        private int live;
        private int failures;
        private long downUntil;
        private boolean probing;
        private String lastError = "";

        Slot(Host host) {
            this.host = host;
        }
    }

    private final List<Slot> slots = new ArrayList<>();
    private final HostsOptions options;
    private final LongSupplier nanoClock;

    Placement(List<Host> hosts, HostsOptions options, LongSupplier nanoClock) {
        hosts.forEach(h -> slots.add(new Slot(h)));
        this.options = options;
        this.nanoClock = nanoClock;
    }

    /**
     * Picks a host for one worker and counts the worker there.
     *
     * @param tried the hosts this start already failed on
     * @return the host's slot, or empty if no host can take a worker now
     */
    synchronized Optional<Slot> reserve(Set<Host> tried) {
        long now = nanoClock.getAsLong();
        Slot best = null;
        for (Slot s : slots) {
            if (tried.contains(s.host) || s.host.maxWorkers().stream().anyMatch(m -> s.live >= m)) {
                continue;
            }
            boolean down = s.failures > 0;
            if (down && (s.probing || now - s.downUntil < 0)) {
                continue;
            }
            if (best == null || (long) s.live * best.host.weight() < (long) best.live * s.host.weight()) {
                best = s;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        best.live++;
        best.probing = best.failures > 0;
        return Optional.of(best);
    }

    /** The worker reserved on {@code s} is running: its host is up. */
    synchronized void started(Slot s) {
        s.failures = 0;
        s.probing = false;
    }

    /** The start reserved on {@code s} failed: the host is down for its backoff. */
    synchronized void failed(Slot s, String error) {
        s.live--;
        s.probing = false;
        s.failures++;
        long first = options.downBackoff().toNanos();
        long backoff = Math.min(options.maxDownBackoff().toNanos(), first << Math.min(20, s.failures - 1));
        s.downUntil = nanoClock.getAsLong() + backoff;
        s.lastError = error;
    }

    /** The worker counted on {@code s} is gone. */
    synchronized void released(Slot s) {
        s.live--;
    }

    /** {@return each host's state, in the order given} */
    synchronized List<HostStatus> status() {
        long now = nanoClock.getAsLong();
        return slots.stream().map(s -> new HostStatus(s.host.uri(), s.live, s.failures == 0,
                s.failures == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, s.downUntil - now)),
                s.failures == 0 ? Optional.empty() : Optional.of(s.lastError))).toList();
    }

    /** {@return why no host could take a worker: each host's state in words} */
    synchronized String whyNone(Set<Host> tried) {
        long now = nanoClock.getAsLong();
        List<String> parts = new ArrayList<>();
        for (Slot s : slots) {
            String why;
            if (tried.contains(s.host)) {
                why = "failed: " + s.lastError;
            } else if (s.failures > 0) {
                why = "down for another " + Math.max(0, (s.downUntil - now) / 1_000_000) + " ms after " + s.failures
                        + " failed start" + (s.failures == 1 ? "" : "s") + " (last: " + s.lastError + ")";
            } else {
                why = "full (" + s.live + " of " + s.host.maxWorkers().orElse(0) + " workers, its max)";
            }
            parts.add(s.host.uri() + " " + why);
        }
        return String.join("; ", parts);
    }
}
