package dev.warmpool.metrics.micrometer;

import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.PoolMetrics.Failure;
import dev.warmpool.api.PoolMetrics.SpawnCause;
import dev.warmpool.api.WorkerPool;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Publishes a {@link WorkerPool}'s {@link PoolMetrics} to a Micrometer {@link MeterRegistry}: worker
 * and queue gauges, request, spawn and restart counters, and queue-wait and run-time timers with
 * percentile histograms, workers by host, every meter tagged {@code pool=NAME}.
 *
 * {@snippet :
 * new WarmPoolMetrics(pool, "handlers").bindTo(registry);
 * }
 *
 * <p>The gauges and counters read the pool's {@link WorkerPool#metrics() metrics()} snapshot. A
 * snapshot serves every read within {@link #SNAPSHOT_MAX_AGE} of it (measured on the registry's
 * clock), so one scrape of all of them takes one snapshot and sees one consistent state. The pool
 * does not count rejections by reason, so all rejections are one {@code outcome=rejected}; the
 * reason is on each {@link dev.warmpool.api.PoolRejectedException}.
 *
 * <p>The timers {@code warmpool.request.queue.wait} and {@code warmpool.request.run} record each
 * request that ends after {@link #bindTo}, through a {@link dev.warmpool.api.RequestObserver} that
 * binding adds to the pool, on the thread that ends the request and before its caller sees it.
 * {@link #close()} removes those observers; the meters stay in their registries.
 *
 * <p>The gauge {@code warmpool.host.workers} has one series per host a worker runs on ({@code local}
 * for this machine), tagged {@code host}. Hosts appear only as workers start there, so binding adds a
 * {@link dev.warmpool.api.PoolListener} to the pool that registers a host's gauge when its first worker
 * is ready (one snapshot per worker start, none per request); {@link #close()} removes it. A host's
 * gauge stays once registered and reads 0 while the host has no worker ready or busy (down, or scaled
 * away from), so a dashboard sees it drop rather than vanish; the hosts are the pool's configured ones.
 *
 * <p>Like Micrometer's own binders, the gauges and counters hold the pool weakly and never keep it
 * alive: once the pool is garbage collected, its gauges read {@code NaN} and its counters keep their
 * last count. (The pool holds the timers, not the other way round.)
 *
 * <p>Thread-safe. {@link #bindTo} may be called for several registries. Reading a meter blocks on
 * nothing but the pool's snapshot.
 */
public final class WarmPoolMetrics implements MeterBinder, AutoCloseable {
    /** How long one snapshot of the pool answers every meter: longer than a scrape, shorter than its interval. */
    public static final Duration SNAPSHOT_MAX_AGE = Duration.ofSeconds(1);

    /** Replacements of a worker that failed or failed to start; planned starts are not restarts. */
    private static final Set<SpawnCause> RESTARTS = EnumSet.of(
            SpawnCause.CRASH, SpawnCause.TIMEOUT, SpawnCause.HEALTH, SpawnCause.PROTOCOL, SpawnCause.RETRY);

    private final WorkerPool pool;
    private final Tags tags;
    /** What {@link #bindTo} added to the pool, one per registry, for {@link #close()} to remove. */
    private final List<Binding> bindings = new CopyOnWriteArrayList<>();

    /**
     * A binder whose meters carry the tag {@code pool=poolName}. Does not call the pool.
     *
     * @param pool the pool to publish
     * @param poolName the value of the {@code pool} tag on every meter
     * @throws IllegalArgumentException if {@code poolName} is blank
     */
    public WarmPoolMetrics(WorkerPool pool, String poolName) {
        this(pool, poolName, Tags.empty());
    }

    /**
     * A binder whose meters carry {@code tags} and the tag {@code pool=poolName}. Does not call the pool.
     *
     * @param pool the pool to publish
     * @param poolName the value of the {@code pool} tag on every meter
     * @param tags more tags for every meter
     * @throws IllegalArgumentException if {@code poolName} is blank
     */
    public WarmPoolMetrics(WorkerPool pool, String poolName, Iterable<Tag> tags) {
        this.pool = Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(poolName, "poolName");
        if (poolName.isBlank()) {
            throw new IllegalArgumentException("pool name is '" + poolName + "', but must not be blank");
        }
        this.tags = Tags.of(tags).and("pool", poolName);
    }

    /**
     * Registers the meters listed in {@code docs/metrics.md}, takes the first snapshot now, starts
     * recording each request that ends in the timers of this registry, and starts watching for the
     * hosts of new workers (a {@link dev.warmpool.api.PoolListener} added to the pool).
     *
     * @param registry the registry to publish to
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Snapshots snapshots = new Snapshots(registry.config().clock());
        Meters m = new Meters(registry, pool, tags, snapshots);
        HostGauges hosts = new HostGauges(pool, host -> m.gauge(HostGauges.NAME,
                "Workers ready or running a request, by the host they run on (local: this machine)",
                s -> s.workersByHost().getOrDefault(host, 0), "host", host));
        // added before the first snapshot: a worker ready in between is in the snapshot or sends its event here
        pool.addListener(hosts);
        hosts.discover(snapshots.of(pool));

        String inState = "Workers in a state: idle, busy or starting";
        m.gauge("warmpool.workers", inState, PoolMetrics::idle, "state", "idle");
        m.gauge("warmpool.workers", inState, PoolMetrics::busy, "state", "busy");
        m.gauge("warmpool.workers", inState, PoolMetrics::starting, "state", "starting");
        m.gauge("warmpool.workers.size", "Workers of the pool: idle + busy + starting", PoolMetrics::size);
        m.config("warmpool.workers.min", "The smallest size scaling may shrink to", p -> p.config().minSize());
        m.config("warmpool.workers.max", "The largest size scaling may grow to", p -> p.config().maxSize());
        m.gauge("warmpool.queue.depth", "Requests waiting for a worker", PoolMetrics::queueDepth);
        m.config("warmpool.queue.capacity", "Requests that may wait before new ones are rejected",
                p -> p.config().maxQueueSize());

        m.counter("warmpool.requests.submitted", "Requests submitted, admitted or not", PoolMetrics::submitted);
        String ended = "Requests that ended, by outcome";
        m.counter("warmpool.requests", ended, PoolMetrics::succeeded, "outcome", "success");
        for (Failure f : Failure.values()) {
            m.counter("warmpool.requests", ended, s -> s.failed().get(f), "outcome", tagValue(f));
        }
        for (SpawnCause c : SpawnCause.values()) {
            m.counter("warmpool.spawns", "Worker processes started, by cause", s -> s.spawns().get(c),
                    "cause", tagValue(c));
        }
        m.counter("warmpool.restarts", "Workers started to replace one that failed or failed to start",
                s -> RESTARTS.stream().mapToLong(c -> s.spawns().get(c)).sum());

        RequestTimers t = new RequestTimers(registry, tags);
        bindings.add(new Binding(t, hosts));
        pool.addRequestObserver(t);
    }

    /**
     * Stops recording requests in the timers of every registry this binder was bound to, and stops
     * watching for new hosts, by removing its observers and listeners from the pool. The meters stay
     * registered, with what they recorded; the gauges and counters (the host gauges already
     * registered too) go on reading the pool. Idempotent.
     */
    @Override
    public void close() {
        // under the list's lock: two closes remove each binding once, and a bind meanwhile is kept for the next
        bindings.removeIf(b -> {
            pool.removeRequestObserver(b.timers());
            pool.removeListener(b.hosts());
            return true;
        });
    }

    /** What one {@link #bindTo} added to the pool. */
    private record Binding(RequestTimers timers, HostGauges hosts) {}

    static String tagValue(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Registers meters on one registry. Its functions capture the snapshot memo but never the pool,
     * which the meters receive as their weakly held state object.
     */
    private record Meters(MeterRegistry registry, WorkerPool pool, Tags tags, Snapshots snapshots) {
        void gauge(String name, String help, ToDoubleFunction<PoolMetrics> value, String... tagPairs) {
            Snapshots memo = snapshots;
            Gauge.builder(name, pool, p -> value.applyAsDouble(memo.of(p)))
                    .description(help).tags(tags).tags(tagPairs).register(registry);
        }

        void config(String name, String help, ToDoubleFunction<WorkerPool> value) {
            Gauge.builder(name, pool, value).description(help).tags(tags).register(registry);
        }

        void counter(String name, String help, ToDoubleFunction<PoolMetrics> value, String... tagPairs) {
            Snapshots memo = snapshots;
            FunctionCounter.builder(name, pool, p -> value.applyAsDouble(memo.of(p)))
                    .description(help).tags(tags).tags(tagPairs).register(registry);
        }
    }

    /**
     * The last snapshot of the pool, reused while it is younger than {@link #SNAPSHOT_MAX_AGE}; none
     * before the first read. Holds snapshots only, never the pool, which each read passes in.
     */
    private static final class Snapshots {
        private final Clock clock;
        private @Nullable PoolMetrics last;
        private long takenAt;

        Snapshots(Clock clock) {
            this.clock = clock;
        }

        // Synchronized so that two meters read at once by a scrape share a snapshot instead of taking two.
        synchronized PoolMetrics of(WorkerPool pool) {
            long now = clock.monotonicTime();
            PoolMetrics s = last;
            if (s == null || now - takenAt >= SNAPSHOT_MAX_AGE.toNanos()) {
                s = pool.metrics();
                last = s;
                takenAt = now;
            }
            return s;
        }
    }
}
