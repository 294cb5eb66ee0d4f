package dev.warmpool.metrics.micrometer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolEvent;
import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.api.WorkerPool;
import dev.warmpool.core.WarmPool;
import dev.warmpool.testkit.EchoWorker;
import dev.warmpool.testkit.TestWorkers;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The binder against real pools of real worker processes, read through a {@link SimpleMeterRegistry}. */
@Timeout(60)
class WarmPoolMetricsTest {
    private final List<WorkerPool> pools = new ArrayList<>();
    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);

    private WorkerPool start(PoolConfig.Builder b) {
        WorkerPool pool = WarmPool.start(b.noShutdownHook().build());
        pools.add(pool);
        return pool;
    }

    private static PoolConfig.Builder echo(String... args) {
        return PoolConfig.builder().command(TestWorkers.java(EchoWorker.class, args));
    }

    @AfterEach
    void noWorkerLeftBehind() {
        for (WorkerPool p : pools) {
            p.shutdown(Duration.ofSeconds(5));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.current().descendants()
                .noneMatch(ProcessHandle::isAlive));
    }

    /** Lets the binder's snapshot expire, so that the next read sees the pool as it is now. */
    private SimpleMeterRegistry now() {
        clock.add(WarmPoolMetrics.SNAPSHOT_MAX_AGE);
        return registry;
    }

    private double workers(String state) {
        return now().get("warmpool.workers").tag("state", state).gauge().value();
    }

    private double requests(String outcome) {
        return registry.get("warmpool.requests").tag("outcome", outcome).functionCounter().count();
    }

    @Test
    void successesAFailureAndAQueueFullRejectionShowInTheCountersAndGauges() {
        WorkerPool pool = start(echo().size(1).maxSize(1).maxQueueSize(1));
        new WarmPoolMetrics(pool, "handlers", Tags.of("region", "eu")).bindTo(registry);

        for (int i = 0; i < 3; i++) {
            assertEquals(Map.of("n", i), pool.submit("echo", Map.of("n", i)).join());
        }
        CompletionException failure = assertThrows(CompletionException.class,
                () -> pool.submit("fail", Map.of("code", 7, "message", "no")).join());
        assertInstanceOf(WorkerErrorException.class, failure.getCause());

        CompletableFuture<Object> sleeper = pool.submit("sleep", Map.of("ms", 30_000));
        await().until(() -> workers("busy") == 1);
        CompletableFuture<Object> queued = pool.submit("echo", List.of("queued"));
        await().until(() -> now().get("warmpool.queue.depth").gauge().value() == 1);
        CompletionException rejected = assertThrows(CompletionException.class,
                () -> pool.submit("echo", List.of("one too many")).join());
        assertEquals(PoolRejectedException.Reason.QUEUE_FULL,
                assertInstanceOf(PoolRejectedException.class, rejected.getCause()).reason());

        now();
        assertEquals(3, requests("success"));
        assertEquals(1, requests("worker_error"));
        assertEquals(1, requests("rejected"));
        assertEquals(0, requests("crashed"));
        assertEquals(7, registry.get("warmpool.requests.submitted").functionCounter().count());
        assertEquals(1, registry.get("warmpool.queue.capacity").gauge().value());
        assertEquals(0, registry.get("warmpool.workers").tag("state", "idle").gauge().value());
        assertEquals(1, registry.get("warmpool.workers.size").gauge().value());
        assertEquals(1, registry.get("warmpool.spawns").tag("cause", "initial").functionCounter().count());
        assertEquals(0, registry.get("warmpool.restarts").functionCounter().count());
        // every meter carries the pool's name and the caller's own tags
        for (Meter m : registry.getMeters()) {
            assertEquals("handlers", m.getId().getTag("pool"), m.getId().toString());
            assertEquals("eu", m.getId().getTag("region"), m.getId().toString());
        }

        sleeper.cancel(true);
        assertEquals(List.of("queued"), queued.join());
        await().until(() -> workers("idle") == 1);
        assertEquals(4, requests("success"));
        double ended = registry.find("warmpool.requests").functionCounters().stream()
                .mapToDouble(c -> c.count()).sum();
        assertEquals(7, registry.get("warmpool.requests.submitted").functionCounter().count());
        assertEquals(7, ended, "every submitted request ended in exactly one outcome");
    }

    private Timer timer(String name, String outcome) {
        return registry.get(name).tag("outcome", outcome).timer();
    }

    @Test
    void theTimersRecordEachRequestByTheOutcomeItIsCountedInUntilTheBinderIsClosed() {
        WorkerPool pool = start(echo().size(1).maxSize(1).maxQueueSize(1));
        WarmPoolMetrics metrics = new WarmPoolMetrics(pool, "timed");
        metrics.bindTo(registry);
        for (int i = 0; i < 3; i++) {
            pool.submit("echo", List.of(i)).join();
        }
        assertThrows(CompletionException.class, () -> pool.submit("fail", Map.of("code", 7, "message", "no")).join());
        CompletableFuture<Object> sleeper = pool.submit("sleep", Map.of("ms", 30_000));
        await().until(() -> workers("busy") == 1);
        CompletableFuture<Object> queued = pool.submit("echo", List.of("queued"));
        assertThrows(CompletionException.class, () -> pool.submit("echo", List.of("one too many")).join());
        assertTrue(sleeper.cancel(true));
        assertEquals(List.of("queued"), queued.join());

        // each request was recorded before its caller saw its outcome: nothing to wait for
        now();
        for (String outcome : List.of("success", "worker_error", "rejected", "aborted")) {
            assertEquals(requests(outcome), timer(RequestTimers.QUEUE_WAIT, outcome).count(), outcome);
        }
        assertEquals(4, timer(RequestTimers.QUEUE_WAIT, "success").count());
        assertEquals(4, timer(RequestTimers.RUN, "success").count());
        assertEquals(1, timer(RequestTimers.RUN, "worker_error").count());
        assertEquals(1, timer(RequestTimers.RUN, "aborted").count(), "the sleeper ran until it was cancelled");
        assertNull(registry.find(RequestTimers.RUN).tag("outcome", "rejected").timer(), "no worker ran it");
        assertNull(registry.find(RequestTimers.QUEUE_WAIT).tag("outcome", "crashed").timer(),
                "a failure's timers appear when a request first fails that way");
        assertTrue(timer(RequestTimers.QUEUE_WAIT, "success").max(TimeUnit.NANOSECONDS) > 0,
                "the queued request waited for the sleeper");
        assertTrue(timer(RequestTimers.RUN, "success").totalTime(TimeUnit.NANOSECONDS) > 0, "real calls take time");
        // (the histogram buckets are PrometheusScrapeTest's: a SimpleMeterRegistry does not keep them)

        metrics.close();
        pool.submit("echo", List.of("after close")).join();
        now();
        assertEquals(5, requests("success"));
        assertEquals(4, timer(RequestTimers.QUEUE_WAIT, "success").count(), "closed: no longer recorded");
        assertEquals(4, timer(RequestTimers.RUN, "success").count());
    }

    @Test
    void scalingUpShowsStartingWorkersThenIdleOnesAndCountsScaleSpawns() {
        // a slow start keeps the new workers in the starting state long enough to be seen there
        WorkerPool pool = start(echo("--start-delay-ms", "800").size(1).minSize(1).maxSize(3));
        new WarmPoolMetrics(pool, "scaling").bindTo(registry);
        assertEquals(1, workers("idle"));
        assertEquals(1, registry.get("warmpool.workers.min").gauge().value());
        assertEquals(3, registry.get("warmpool.workers.max").gauge().value());

        pool.scale(3);
        await().until(() -> workers("starting") == 2);
        assertEquals(3, registry.get("warmpool.workers.size").gauge().value(), "the same snapshot");
        await().until(() -> workers("idle") == 3);
        assertEquals(0, registry.get("warmpool.workers").tag("state", "starting").gauge().value());
        assertEquals(2, registry.get("warmpool.spawns").tag("cause", "scale").functionCounter().count());
        assertEquals(1, registry.get("warmpool.spawns").tag("cause", "initial").functionCounter().count());
        assertEquals(0, registry.get("warmpool.restarts").functionCounter().count(), "scaling is not a restart");
    }

    @Test
    void aCrashedWorkerIsCountedAsACrashAndARestart() {
        WorkerPool pool = start(echo().size(1));
        new WarmPoolMetrics(pool, "crash").bindTo(registry);
        CompletionException crash = assertThrows(CompletionException.class,
                () -> pool.submit("exit", Map.of("code", 3)).join());
        assertFalse(crash.getCause() instanceof PoolRejectedException, crash.getCause().toString());
        await().until(() -> workers("idle") == 1);
        assertEquals(1, requests("crashed"));
        assertEquals(1, registry.get("warmpool.spawns").tag("cause", "crash").functionCounter().count());
        assertEquals(1, registry.get("warmpool.restarts").functionCounter().count());
    }

    /** @return each host's {@code warmpool.host.workers}, read from a fresh snapshot */
    private Map<String, Double> hostWorkers() {
        Map<String, Double> byHost = new TreeMap<>();
        for (Gauge g : now().find(HostGauges.NAME).gauges()) {
            byHost.put(g.getId().getTag("host"), g.value());
        }
        return byHost;
    }

    /** Line workers ({@code cat}) on two hosts: this machine, and "env --" standing for docker exec -i CONTAINER. */
    private WorkerPool startOnTwoHosts() {
        return start(PoolConfig.builder().transport("line").command("cat").size(1).minSize(1).maxSize(2)
                .healthCheckInterval(Duration.ZERO).transportSetting("remote-grace", "500ms")
                .hosts("local", "exec:env --"));
    }

    @Test
    void aHostGetsItsGaugeWhenItsFirstWorkerIsReadyAndKeepsItAtZeroOnceItHasNone() {
        WorkerPool pool = startOnTwoHosts();
        new WarmPoolMetrics(pool, "hosts").bindTo(registry);
        Map<String, Integer> atBinding = pool.metrics().workersByHost();
        assertEquals(1, atBinding.size(), atBinding.toString());
        String firstHost = atBinding.keySet().iterator().next();
        assertEquals(Map.of(firstHost, 1.0), hostWorkers(), "the host of the worker up when it was bound");

        pool.scale(2); // placement puts the second worker on the other host
        // registered on the worker's WORKER_READY event, before any scrape
        await().until(() -> registry.find(HostGauges.NAME).gauges().size() == 2);
        assertEquals(Map.of("exec:env --", 1.0, "local", 1.0), hostWorkers());
        for (Gauge g : registry.find(HostGauges.NAME).gauges()) {
            assertEquals("hosts", g.getId().getTag("pool"), g.getId().toString());
        }

        pool.scale(1);
        await().until(() -> pool.metrics().workersByHost().size() == 1);
        String left = pool.metrics().workersByHost().keySet().iterator().next();
        String emptied = left.equals("local") ? "exec:env --" : "local";
        assertEquals(Map.of(left, 1.0, emptied, 0.0), hostWorkers(), "a host without workers reads 0, not nothing");
        assertEquals(1, workers("idle"), "the hosts add up to idle + busy");
    }

    @Test
    void aClosedBinderRegistersNoNewHost() {
        WorkerPool pool = startOnTwoHosts();
        WarmPoolMetrics metrics = new WarmPoolMetrics(pool, "closed");
        metrics.bindTo(registry);
        metrics.close();
        // the pool calls its listeners in the order they were added: once this one has heard the new worker,
        // the binder's would have, had it not been removed
        CountDownLatch ready = new CountDownLatch(1);
        pool.addListener(e -> {
            if (e.type() == PoolEvent.Type.WORKER_READY) {
                ready.countDown();
            }
        });
        pool.scale(2);
        await().until(() -> ready.getCount() == 0);
        assertEquals(2, pool.metrics().workersByHost().size());
        assertEquals(1, registry.find(HostGauges.NAME).gauges().size(), "only the host seen while it was bound");
    }

    @Test
    void readingEveryMeterTakesOneSnapshotUntilItExpires() {
        AtomicInteger snapshots = new AtomicInteger();
        WorkerPool pool = new CountingPool(start(echo().size(1)), snapshots);
        new WarmPoolMetrics(pool, "memo").bindTo(registry);
        assertTrue(registry.getMeters().size() > 25, "meters: " + registry.getMeters().size());

        assertFalse(Double.isNaN(readAll()), "a live pool has a value for every meter");
        readAll();
        assertEquals(1, snapshots.get());
        clock.add(WarmPoolMetrics.SNAPSHOT_MAX_AGE.minusNanos(1));
        readAll();
        assertEquals(1, snapshots.get(), "still fresh");
        clock.add(Duration.ofNanos(1));
        readAll();
        assertEquals(2, snapshots.get());
    }

    /** @return the sum of every meter's values, so that a {@code NaN} anywhere shows */
    private double readAll() {
        double sum = 0;
        for (Meter m : registry.getMeters()) {
            for (Measurement x : m.measure()) {
                sum += x.getValue();
            }
        }
        return sum;
    }

    @Test
    void theMetersDoNotKeepAClosedPoolAlive() {
        bindServeOnceAndClose();
        await().until(() -> {
            System.gc();
            return Double.isNaN(workers("idle"));
        });
        assertTrue(Double.isNaN(registry.get("warmpool.workers.size").gauge().value()));
        // Micrometer's function counters keep their last count: a counter never goes back; timers too
        assertEquals(1, requests("success"));
        assertEquals(1, timer(RequestTimers.RUN, "success").count());
    }

    /** Leaves no reference to the pool behind but the meters' own. */
    private void bindServeOnceAndClose() {
        WorkerPool pool = WarmPool.start(echo().size(1).noShutdownHook().build());
        new WarmPoolMetrics(pool, "weak").bindTo(registry);
        pool.submit("echo", List.of(1)).join();
        assertEquals(1, workers("idle"));
        assertEquals(1, requests("success"));
        pool.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void aBlankPoolNameIsRejectedWithTheValue() {
        WorkerPool pool = (WorkerPool) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {WorkerPool.class}, (proxy, method, args) -> {
                    throw new AssertionError("the constructor must not call the pool: " + method);
                });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WarmPoolMetrics(pool, "  "));
        assertEquals("pool name is '  ', but must not be blank", e.getMessage());
    }
}
