package dev.warmpool.core;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Pools over a {@link ScriptedTransport} whose time is a {@link ManualTicker}: deadlines, backoffs
 * and pings happen only when a test advances the ticker and runs the housekeeper ({@link #advance}).
 * One per test; {@link #close()} shuts every pool down and releases blocked scripted calls.
 */
final class ScriptedPools implements AutoCloseable {
    final ScriptedTransport transport = new ScriptedTransport();
    final ManualTicker ticker = new ManualTicker();
    final List<PoolEvent> events = new CopyOnWriteArrayList<>();
    private final List<WarmPool> pools = new ArrayList<>();

    /**
     * @return a builder for a pool of {@code size} scripted workers, without scaling; idle workers
     *     are pinged only once the clock has moved 30 s (the default interval) past their last use
     */
    PoolConfig.Builder config(int size) {
        return PoolConfig.builder().command("scripted").transport(transport).size(size)
                .scalingInterval(Duration.ZERO).noShutdownHook();
    }

    /** @return the started pool; its events go to {@link #events} */
    WarmPool start(PoolConfig.Builder b) {
        WarmPool pool = WarmPool.start(b.build(), Clock.systemUTC(), ticker, false);
        pool.addListener(events::add);
        pools.add(pool);
        return pool;
    }

    /** Moves time on by {@code d}, then runs the housekeeper once. */
    void advance(WarmPool pool, Duration d) {
        ticker.advance(d);
        pool.tick();
    }

    /** @return the details of the events of this type so far */
    List<String> details(PoolEvent.Type type) {
        return events.stream().filter(e -> e.type() == type).map(PoolEvent::detail).toList();
    }

    static <T extends Throwable> T failure(Class<T> type, CompletableFuture<?> f) {
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return assertInstanceOf(type, e.getCause());
    }

    @Override
    public void close() {
        transport.release.countDown();
        for (WarmPool p : pools) {
            p.shutdown(Duration.ZERO);
        }
    }
}
