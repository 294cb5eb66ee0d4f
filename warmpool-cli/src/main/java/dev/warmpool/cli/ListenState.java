package dev.warmpool.cli;

import dev.warmpool.api.PoolMetrics;
import dev.warmpool.handler.HandlerMode;
import dev.warmpool.handler.HandlerPool;
import dev.warmpool.handler.Serving;
import java.util.Locale;
import java.util.Optional;

/**
 * Where one {@code warmpool listen} is — starting its handler pool, serving, stopping — and what its
 * {@code /metrics} and {@code /health} answer.
 *
 * <p>{@code /health} is {@link HandlerPool#healthCheck()}'s verdict without its pings (a probe must
 * not change the pool): 200 while events are served the way {@code HANDLER_POOL_MODE} intends —
 * warm with at least one live worker, or cold in {@code spawn} mode — and 503 otherwise, {@code auto}
 * serving cold included.
 *
 * <p>Thread-safe: the main thread and the HTTP thread share it.
 */
final class ListenState {
    /** The stages of a listen, in order (one whose pool cannot start goes from STARTING to FAILED). */
    enum Stage {
        /** The handler pool is starting its first warm workers. */
        STARTING,
        /** Serving events. */
        RUNNING,
        /** The handler pool could not start; every event is answered rejected. */
        FAILED,
        /** The events have all been answered; the pool is shutting down. */
        STOPPING
    }

    private final HandlerPool pool;
    private volatile Stage stage = Stage.STARTING;

    ListenState(HandlerPool pool) {
        this.pool = pool;
    }

    /** @param s the stage the listen is in from now on */
    void stage(Stage s) {
        stage = s;
    }

    /** @return what {@code /metrics} serves: the warm pool's figures, if it runs, and the handler pool's */
    String prometheus() {
        return PrometheusText.render(pool.poolMetrics(),
                new PrometheusText.Listen(health().healthy() ? 1 : 0, pool.metrics()));
    }

    /** @return what {@code /health} answers, and its JSON body */
    MetricsServer.Health health() {
        Stage s = stage;
        if (s != Stage.RUNNING) {
            return new MetricsServer.Health(false, "{\"status\":\"" + lower(s) + "\"}");
        }
        Serving serving = pool.serving();
        if (pool.mode() == HandlerMode.SPAWN) {
            return new MetricsServer.Health(true, "{\"status\":\"up\",\"serving\":\"cold\"}");
        }
        Optional<PoolMetrics> warm = pool.poolMetrics();
        String status = serving == Serving.COLD ? "serving-cold"
                : warm.isEmpty() || warm.get().idle() + warm.get().busy() == 0 ? "no-live-worker" : "up";
        String workers = warm.map(m -> String.format(Locale.ROOT,
                ",\"workers\":{\"idle\":%d,\"busy\":%d,\"starting\":%d},\"queueDepth\":%d",
                m.idle(), m.busy(), m.starting(), m.queueDepth())).orElse("");
        return new MetricsServer.Health(status.equals("up"), "{\"status\":\"" + status + "\",\"serving\":\""
                + lower(serving) + "\"" + workers + "}");
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
